"""`python manage.py import_cooperatives FILE [--dry-run]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from agencies.tests.factories import province
from cooperatives.models import Cooperative

from .files import messy_row, messy_workbook, simple_workbook

pytestmark = pytest.mark.django_db


def command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_cooperatives", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def messy_file(tmp_path):
    path = tmp_path / "danh-sach-htx.xlsx"
    path.write_bytes(messy_workbook([messy_row(1), messy_row(2), messy_row(3)]))
    return path


def test_import_prints_the_summary_as_its_last_line_and_exits_0(messy_file):
    code, out, err = command(str(messy_file))
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == "new=3 updated=0 unchanged=0 skipped=4 errors=0"
    assert Cooperative.objects.count() == 3
    # No progress bar when the output is not a terminal.
    assert "[#" not in out and "\r" not in out
    code, out, _err = command(str(messy_file))
    assert out.splitlines()[-1] == "new=0 updated=0 unchanged=3 skipped=4 errors=0"


def test_dry_run_writes_nothing(messy_file):
    code, out, _err = command(str(messy_file), "--dry-run")
    assert code == 0
    assert out.splitlines()[-1] == "new=3 updated=0 unchanged=0 skipped=4 errors=0"
    assert not Cooperative.objects.exists()


def test_errors_are_printed_with_row_and_column_and_exit_1(tmp_path):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(messy_workbook([messy_row(1), messy_row(2, **{"Số sao OCOP": "7 sao"})]))
    code, out, err = command(str(path))
    assert code == 1
    assert out.splitlines()[-1] == "new=1 updated=0 unchanged=0 skipped=4 errors=1"
    assert "dòng 7, cột Q “Số sao OCOP”" in err and "3 đến 5 sao" in err
    assert not Cooperative.objects.exists()


def test_a_bad_file_is_one_error(tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(b"not a workbook")
    code, out, err = command(str(path))
    assert code == 1
    assert out.splitlines()[-1] == "new=0 updated=0 unchanged=0 skipped=0 errors=1"
    assert "không phải tệp Excel" in err


def test_a_file_over_the_size_limit_is_not_read(tmp_path, settings):
    settings.COOPERATIVE_IMPORT_MAX_BYTES = 100
    path = tmp_path / "lon.csv"
    path.write_bytes(b"x" * 200)
    code, out, err = command(str(path))
    assert code == 1 and "quá lớn" in err
    assert out.splitlines()[-1] == "new=0 updated=0 unchanged=0 skipped=0 errors=1"


def test_default_province_and_user_scope(tmp_path, agencies_world):
    path = tmp_path / "khong-tinh.xlsx"
    path.write_bytes(simple_workbook(["Mã số HTX", "Tên HTX"], [["3800100001", "HTX A"]]))
    code, _out, err = command(str(path), "--province", "Bình Phước", "--user", "staff")
    # Staff may not import: every row is refused.
    assert code == 1 and "tỉnh mình" in err
    code, out, _err = command(str(path), "--province", "Bình Phước")
    assert code == 0
    assert Cooperative.objects.get().province == province("75")


def test_unknown_file_province_or_user_is_a_command_error(tmp_path, messy_file):
    with pytest.raises(CommandError, match="Không tìm thấy tệp .*khong-co.xlsx"):
        call_command("import_cooperatives", str(tmp_path / "khong-co.xlsx"))
    with pytest.raises(CommandError, match="Không nhận ra tỉnh, thành phố “Atlantis”"):
        call_command("import_cooperatives", str(messy_file), "--province", "Atlantis")
    with pytest.raises(CommandError, match="Không có người dùng “khong-co”"):
        call_command("import_cooperatives", str(messy_file), "--user", "khong-co")


def test_progress_bar_in_a_terminal(messy_file):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    call_command("import_cooperatives", str(messy_file), stdout=out)
    text = out.getvalue()
    assert "\r[" in text and "3/3" in text
    assert text.splitlines()[-1] == "new=3 updated=0 unchanged=0 skipped=4 errors=0"
