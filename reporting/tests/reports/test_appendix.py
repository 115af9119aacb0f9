"""The .xlsx appendix opened with openpyxl: its numbers equal the values of the rows."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.xlsx import DATE_FORMAT, MONEY_FORMAT, sheet_title
from reporting.reports import services
from reporting.reports.appendix import write_xlsx

from .conftest import counts, expected_indicator

pytestmark = pytest.mark.django_db
HEADER_ROW = 5


def workbook_of(review, **period):
    kind = "annual" if "year" in period else "phase"
    report = services.report_generate(
        program=review.program, kind=kind, by=review.staff, today=review.today, **period
    )
    return load_workbook(io.BytesIO(write_xlsx(report)))


def area_sheet(area) -> str:
    """The name of a task area's sheet: its number and name, cut between words."""
    return sheet_title(f"{area.number}. {area.title}")


def table(sheet) -> list[dict]:
    """The rows under the header row as dicts keyed by the header."""
    header = [c.value for c in sheet[HEADER_ROW]]
    return [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    ]


def test_appendix_sheets_hold_the_summary_indicators_activities_and_cooperatives(review):
    book = workbook_of(review, year=2024)
    areas = list(review.program.task_areas.all())
    assert book.sheetnames == [
        "Tổng hợp",
        "Chỉ tiêu",
        *[area_sheet(a) for a in areas],
        "HTX được hỗ trợ",
        "Khen thưởng",
    ]
    rows = [r for r in review.rows if r.year == 2024]

    summary = table(book["Tổng hợp"])
    for area, line in zip(areas, summary, strict=False):
        c = counts([r for r in rows if r.area == area.number])
        assert line["Nội dung phối hợp"] == area.title
        assert line["Số hoạt động"] == c["total"] and line["Hoàn thành"] == c["done"]
        assert line["Chậm tiến độ"] == c["delayed"] and line["Quá hạn"] == c["overdue"]
        assert line["Kinh phí dự kiến (đồng)"] == c["planned"]
        assert line["Đã sử dụng (đồng)"] == c["spent"]
    total = counts(rows)
    assert summary[-1]["Nội dung phối hợp"] == "Tổng cộng"
    assert summary[-1]["Số hoạt động"] == total["total"]
    assert summary[-1]["Kinh phí dự kiến (đồng)"] == total["planned"]

    for area in areas:
        lines = table(book[area_sheet(area)])
        mine = [r for r in rows if r.area == area.number]
        listed = lines[:-1]
        assert [line["Hoạt động"] for line in listed] == [r.title for r in mine]
        for line, row in zip(listed, mine, strict=True):
            assert line["Kinh phí dự kiến (đồng)"] == row.planned
            assert line["Đã sử dụng (đồng)"] == row.spent
            assert (line["Quá hạn"] == "Quá hạn") == row.overdue
            assert (line["Ghi chú"] or "") == row.note
            assert line["Bắt đầu"].date().year == 2024
        assert lines[-1]["Kinh phí dự kiến (đồng)"] == sum(r.planned for r in mine)

    indicators = table(book["Chỉ tiêu"])
    phase_years = [y for y in review.phase1.years if y <= 2024]
    for line, key in zip(indicators, ["sum", "latest"], strict=True):
        yearly, so_far = expected_indicator(
            review.rows, review.indicators[key], phase_years, aggregation=key
        )
        assert line["Mã"] == review.indicators[key].code
        assert Decimal(str(line["Thực hiện năm 2024"])) == yearly[2024]
        assert Decimal(str(line["Lũy kế"])) == so_far
        assert [line[str(y)] for y in phase_years] == [
            None if yearly[y] is None else int(yearly[y]) for y in phase_years
        ]

    coops = table(book["HTX được hỗ trợ"])
    supported = {pk for r in rows for pk in r.coop_ids}
    expected = [c for c in review.coops if c.pk in supported]
    assert sorted(line["Mã số HTX"] for line in coops) == sorted(
        c.registration_code for c in expected
    )
    # Codes stay text: the leading zero of 0100000001 survives.
    assert "0100000001" in [line["Mã số HTX"] for line in coops]
    assert sum(line["Số thành viên"] for line in coops) == sum(c.members for c in expected)

    awards = table(book["Khen thưởng"])
    assert [line["Số quyết định"] for line in awards] == ["2718/QĐ-UBND"]


def test_phase_appendix_lists_every_year_of_the_phase(review):
    book = workbook_of(review, phase=review.phase1)
    years = list(review.phase1.years)
    indicators = table(book["Chỉ tiêu"])
    for line, key in zip(indicators, ["sum", "latest"], strict=True):
        yearly, total = expected_indicator(
            review.rows, review.indicators[key], years, aggregation=key
        )
        assert Decimal(str(line["Cả giai đoạn"])) == total
        assert line["Đánh giá"] == (
            "Đạt" if line["Tỷ lệ so với chỉ tiêu (%)"] >= 100 else "Chưa đạt"
        )
    activities = [
        line for a in review.program.task_areas.all() for line in table(book[area_sheet(a)])[:-1]
    ]
    assert len(activities) == len(review.rows)
    assert {line["Năm"] for line in activities} == {2024, 2025}


def test_sheets_are_named_by_task_area_and_cells_are_typed(review):
    """A task area's sheet reads "1. Tuyên truyền…" within Excel's 31 characters, cut between
    words; years are numbers, dates are dates and amounts numbers in the money format."""
    book = workbook_of(review, phase=review.phase1)
    areas = list(review.program.task_areas.all())
    names = book.sheetnames[2 : 2 + len(areas)]
    assert len(set(names)) == len(names) == len(areas)
    for area, name in zip(areas, names, strict=True):
        full = f"{area.number}. {area.title}"
        assert name.startswith(f"{area.number}. ") and len(name) <= 31
        assert full == name or full.startswith(name + " ") or full.startswith(name + ",")
    assert any(len(f"{a.number}. {a.title}") > 31 for a in areas), "a name long enough to cut"

    sheet = book[names[0]]
    header = [c.value for c in sheet[HEADER_ROW]]
    column = {name: header.index(name) for name in header}
    (first, *_rest) = sheet.iter_rows(min_row=HEADER_ROW + 1)
    year = first[column["Năm"]]
    assert isinstance(year.value, int) and year.data_type == "n"
    for name in ["Bắt đầu", "Kết thúc"]:
        assert first[column[name]].is_date and first[column[name]].number_format == DATE_FORMAT
    for name in ["Kinh phí dự kiến (đồng)", "Đã sử dụng (đồng)"]:
        cell = first[column[name]]
        assert cell.data_type == "n" and cell.number_format == MONEY_FORMAT
    summary = book["Tổng hợp"]
    for cell in summary[HEADER_ROW + 1][-2:]:
        assert cell.data_type == "n" and cell.number_format == MONEY_FORMAT
    awards = book["Khen thưởng"]
    award = next(awards.iter_rows(min_row=HEADER_ROW + 1))
    assert isinstance(award[1].value, int)  # the year
    assert award[7].is_date and award[7].number_format == DATE_FORMAT
