"""Every file that cannot be imported gets a clear Vietnamese message, never a traceback, and
nothing is written."""

import io
import time
import zipfile

import msoffcrypto
import pytest

from cooperatives.models import Cooperative
from cooperatives.services import cooperatives_import

from .files import csv_bytes, messy_row, messy_workbook, simple_workbook

pytestmark = pytest.mark.django_db


def good_xlsx() -> bytes:
    return messy_workbook([messy_row(1), messy_row(2)])


def file_error(data: bytes, name: str = "danh-sach.xlsx") -> str:
    report = cooperatives_import(data=data, name=name)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(None, "")]
    assert not Cooperative.objects.exists()
    return report.errors[0].message


def rezip(data: bytes, change) -> bytes:
    """The same .xlsx with its members passed through `change(name, content)`; extra members
    come from the returned dict."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            result = change(info.filename, source.read(info))
            for name, content in (result or {info.filename: source.read(info)}).items():
                target.writestr(name, content)
    return out.getvalue()


def test_corrupt_xlsx():
    data = good_xlsx()
    assert "bị hỏng" in file_error(data[: len(data) // 2])


def test_xlsx_with_a_damaged_member_fails_its_crc_check():
    data = bytearray(good_xlsx())
    info = next(
        i for i in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist() if "sheet1" in i.filename
    )
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    data[start : start + 8] = b"\x00" * 8
    assert "bị hỏng" in file_error(bytes(data))


def test_password_protected_xlsx():
    plain = io.BytesIO(good_xlsx())
    encrypted = io.BytesIO()
    office = msoffcrypto.OfficeFile(plain)
    office.encrypt("mat-khau", encrypted)
    assert "mật khẩu" in file_error(encrypted.getvalue())


def test_zip_bomb_is_refused_before_it_is_decompressed():
    # 300 MB of one repeated byte compresses to about 300 KB: a ratio no real workbook has.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    started = time.monotonic()
    assert "bom nén" in file_error(bomb.getvalue())
    assert time.monotonic() - started < 2


def test_too_much_uncompressed_data_or_too_many_members(settings):
    settings.COOPERATIVE_IMPORT_MAX_UNCOMPRESSED_BYTES = 10_000
    assert "bom nén" in file_error(good_xlsx())
    settings.COOPERATIVE_IMPORT_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
    many = rezip(
        good_xlsx(),
        lambda name, content: (
            {name: content, **{f"x/{i}.bin": b"" for i in range(1001)}}
            if name == "[Content_Types].xml"
            else None
        ),
    )
    assert "bom nén" in file_error(many)


def test_xml_entity_attack_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>"
    )

    def attack(name, content):
        if name == "xl/worksheets/sheet1.xml":
            body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
            return {name: laughs + body}
        return None

    assert "không an toàn" in file_error(rezip(good_xlsx(), attack))


def test_content_not_what_the_name_says():
    assert "không phải tệp Excel" in file_error(b"%PDF-1.7 hello", "danh-sach.xlsx")
    assert "không phải văn bản CSV" in file_error(good_xlsx(), "danh-sach.csv")
    assert "không phải văn bản CSV" in file_error(b"%PDF-1.7 hello", "danh-sach.csv")
    word = io.BytesIO()
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "không phải sổ tính Excel" in file_error(word.getvalue(), "danh-sach.xlsx")


@pytest.mark.parametrize("name", ["danh-sach.pdf", "danh-sach.txt", "danh-sach"])
def test_unsupported_format(name):
    assert "không được hỗ trợ" in file_error(b"some content", name)


def test_a_broken_xls_or_ods_or_one_named_wrongly_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le")
    assert "bị hỏng" in file_error(ole, "danh-sach.xls")
    assert "nội dung là tệp Excel đời cũ (.xls)" in file_error(ole, "danh-sach.xlsx")
    assert "không phải tệp Excel .xls" in file_error(b"%PDF-1.4", "danh-sach.xls")
    assert "không phải bảng tính LibreOffice .ods" in file_error(b"some content", "ds.ods")


def test_csv_not_in_utf8():
    # Saved by an old Excel in the Windows code page instead of UTF-8.
    data = "Mã HTX,Tên HTX\n3800100001,HTX Bù Gia\n".encode("cp1252")
    assert "UTF-8" in file_error(data, "danh-sach.csv")


def test_too_big(settings):
    settings.COOPERATIVE_IMPORT_MAX_BYTES = 1000
    assert "quá lớn" in file_error(good_xlsx())


def test_too_many_rows(settings):
    settings.COOPERATIVE_IMPORT_MAX_ROWS = 3
    data = csv_bytes(
        ["Mã số HTX", "Tên HTX", "Tỉnh"],
        [[f"38001000{i:02d}", f"HTX {i}", "Đồng Nai"] for i in range(4)],
    )
    assert "hơn 3 dòng" in file_error(data, "danh-sach.csv")


def test_no_header_row():
    data = simple_workbook(["Cột một", "Cột hai"], [["a", "b"]])
    assert "Không tìm thấy dòng tiêu đề" in file_error(data)


def test_header_without_the_name_column():
    data = simple_workbook(["Mã số HTX", "Tỉnh", "Huyện"], [["3800100001", "Đồng Nai", "A"]])
    assert "“Tên HTX”" in file_error(data)


def test_empty_file():
    assert "rỗng" in file_error(b"", "danh-sach.csv")
