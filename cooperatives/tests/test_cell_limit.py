"""A file within the byte and row limits that expands to a huge sheet (issue 14): one far
cell (KN99000) makes a reader hold 99,000 rows × 300 columns in memory. The sheet's size is
bounded before it is parsed: from its <dimension>, from the cells it names even when the
dimension lies, and while reading (CSV)."""

import dataclasses
import io
import re
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from cooperatives.importer import ImportFileError, Limits, check_file, read_file
from cooperatives.importer.files import xlsx_sheets
from cooperatives.importer.layout import read_table
from cooperatives.models import CooperativeImport

from .test_views import provincial_admin, upload

HEADERS = ["Mã số HTX", "Tên HTX", "Tỉnh"]
REFUSED = "quá lớn: 99.000 dòng × 300 cột (29.700.000 ô), vượt giới hạn 4.000.000 ô"


def sprawling_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["3600000001", "HTX Một", "Đồng Nai"])
    sheet.cell(row=99_000, column=300, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_false_dimension(data: bytes) -> bytes:
    """The same workbook claiming a one-cell sheet."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', content)
            target.writestr(item, content)
    return out.getvalue()


def test_a_small_file_declaring_a_huge_sheet_is_refused_before_parsing():
    data = sprawling_workbook()
    assert len(data) < 20_000, "within the byte limit by far"
    with pytest.raises(ImportFileError) as refused:
        check_file(data, name="ds.xlsx")
    assert REFUSED in str(refused.value)


def test_a_false_dimension_does_not_hide_the_far_cell():
    data = with_false_dimension(sprawling_workbook())
    assert b'<dimension ref="A1"' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    with pytest.raises(ImportFileError) as refused:
        check_file(data, name="ds.xlsx")
    assert REFUSED in str(refused.value)


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_the_limit_is_confirmed_while_reading(engine):
    """What the archive checks could not see (a cell without its reference), the readers
    refuse themselves: calamine from the range it loaded, every reader row by row."""
    data = simple_rows(rows=60, columns=30)
    check_file(data, name="ds.xlsx")
    limits = dataclasses.replace(Limits.from_settings(), max_cells=1_000)
    with pytest.raises(ImportFileError) as refused:
        read_table(xlsx_sheets(data, engine, limits), limits)
    assert "vượt giới hạn 1.000 ô" in str(refused.value)


def test_a_csv_is_bounded_while_reading(settings):
    settings.COOPERATIVE_IMPORT_MAX_CELLS = 1_000
    lines = [",".join(HEADERS + [f"Cột {i}" for i in range(27)])]
    lines += [",".join(["3600000001", "HTX", "Đồng Nai"] + ["1"] * 27)] * 60
    with pytest.raises(ImportFileError) as refused:
        read_file("\n".join(lines).encode(), name="ds.csv")
    assert "dòng × 30 cột" in str(refused.value)


def simple_rows(*, rows: int, columns: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS + [f"Cột {i}" for i in range(columns - len(HEADERS))])
    for n in range(rows):
        sheet.append([f"36{n:08d}", f"HTX {n}", "Đồng Nai"] + [1] * (columns - len(HEADERS)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_upload_page_refuses_it_on_the_field(client, agencies_world):
    client.force_login(provincial_admin(agencies_world))
    response = client.post(
        reverse("cooperatives:import"), {"file": upload("ds.xlsx", sprawling_workbook())}
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not CooperativeImport.objects.exists()
