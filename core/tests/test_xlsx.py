"""The app's one .xlsx writer: formula-like text is escaped, typed values stay typed."""

import datetime
import io

from openpyxl import load_workbook

from core.xlsx import DATE_FORMAT, Workbook, safe_value


def test_text_starting_like_a_formula_is_escaped_and_nothing_else():
    for start in ["=", "+", "-", "@", "\t", "\r"]:
        assert safe_value(f"{start}1+1") == f"'{start}1+1"
    assert safe_value("'=1") == "'=1", "escaping twice changes nothing"
    assert safe_value("Hội nghị = tốt") == "Hội nghị = tốt"
    assert safe_value("a\x00b\x1fc") == "abc", "characters XML cannot hold are dropped"
    for value in [-5, -1.5, 0, None, True, datetime.date(2024, 1, 2)]:
        assert safe_value(value) == value


def test_a_sheet_keeps_negative_numbers_as_numbers_and_escapes_every_text_cell():
    from openpyxl.cell import WriteOnlyCell

    book = Workbook()
    sheet = book.sheet("Bảng: 1/2 [thử]?")
    raw = WriteOnlyCell(sheet.worksheet, value="=SUM(A1)")
    sheet.append(["=1+1", -1_250_000, -0.5, sheet.cell("@x", number_format="@"), raw])
    sheet.append([sheet.cell(datetime.date(2024, 5, 1), number_format=DATE_FORMAT)])
    loaded = load_workbook(io.BytesIO(book.to_bytes()))
    ws = loaded.worksheets[0]
    assert ws.title == "Bảng- 1-2 -thử--"
    cells = list(ws.iter_rows(values_only=True))
    assert cells[0] == ("'=1+1", -1_250_000, -0.5, "'@x", "'=SUM(A1)")
    assert [c.data_type for c in ws[1]] == ["s", "n", "n", "s", "s"]
    assert ws["A2"].value == datetime.datetime(2024, 5, 1) and ws["A2"].number_format == DATE_FORMAT


def test_every_sheet_name_is_cut_between_words_and_rid_of_forbidden_characters():
    book = Workbook()
    book.sheet("Kết quả thực hiện các nội dung phối hợp năm 2024")
    book.sheet("Nội dung 3: Hỗ trợ HTX [vùng DTTS]/miền núi")
    book.sheet("Chươngtrìnhphốihợpkhôngcókhoảngtrắngnàocả")
    book.sheet("Tổng hợp")
    names = load_workbook(io.BytesIO(book.to_bytes())).sheetnames
    assert names == [
        "Kết quả thực hiện các nội dung",
        "Nội dung 3- Hỗ trợ HTX -vùng",
        "Chươngtrìnhphốihợpkhôngcókhoảng",
        "Tổng hợp",
    ]
    assert all(len(name) <= 31 for name in names)


def test_sheet_names_stay_unique_when_two_titles_cut_to_the_same_words():
    book = Workbook()
    book.sheet("1. Hỗ trợ hợp tác xã vùng đồng bào dân tộc thiểu số phía Bắc")
    book.sheet("1. Hỗ trợ hợp tác xã vùng đồng bào dân tộc thiểu số phía Nam")
    book.sheet("Tổng hợp")
    book.sheet("TỔNG HỢP")  # Excel compares names without case
    names = load_workbook(io.BytesIO(book.to_bytes())).sheetnames
    assert names == [
        "1. Hỗ trợ hợp tác xã vùng đồng",
        "1. Hỗ trợ hợp tác xã vùng (2)",
        "Tổng hợp",
        "TỔNG HỢP (2)",
    ]
    assert all(len(name) <= 31 for name in names)
