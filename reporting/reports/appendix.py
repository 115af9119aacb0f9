"""The .xlsx appendix of a report: a summary sheet, the indicator table, one activity table per
task area, the cooperatives supported and the commendations; a national report adds the
provinces' reports it compiles. Figures are numbers (not text) so
the provinces can add them up; registration codes are text so their leading zeros survive."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, Side

from coordination.models import ProgressUpdate
from core.xlsx import DATE_FORMAT, MONEY_FORMAT, Workbook

from .models import Commendation, Report
from .outline.compiled import state_label
from .snapshot import YEARLY
from .wording import STATUS_LABELS, period_label, subject, window_sentence

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name=FONT, bold=True, size=12)
TITLE = Font(name=FONT, bold=True, size=14)
HEAD = Alignment(wrap_text=True, horizontal="center", vertical="center")
COUNT = "#,##0"  # whole numbers: counts, members, stars, percents
DECIMAL = "#,##0.##"
DATE = DATE_FORMAT


def write_xlsx(report: Report, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The appendix workbook of `report`, from its snapshot. Written in openpyxl's write-only
    mode, row by row (through `core.xlsx`, which escapes formula-like text), with styles only
    where they carry meaning (headers, totals, number and date formats): a national phase lists
    tens of thousands of rows.

    `progress(done, total)` is called after each sheet and once more when the file is saved (the
    background job's progress bar; see `tasks.report_appendix`)."""
    with translation.override("vi"):
        workbook = Workbook()
        data = report.data
        steps = [
            (_("Tổng hợp"), lambda sheet: _summary(sheet, report)),
            (_("Chỉ tiêu"), lambda sheet: _indicators(sheet, data)),
            *(
                (
                    # "1. Tuyên truyền, phổ biến…": the area's name beside its number, cut
                    # between words by core.xlsx to Excel's 31 characters.
                    f"{area['number']}. {area['title']}",
                    lambda sheet, area=area: _activities(sheet, data, area),
                )
                for area in data["areas"]
            ),
            (_("HTX được hỗ trợ"), lambda sheet: _cooperatives(sheet, data)),
            (_("Khen thưởng"), lambda sheet: _commendations(sheet, data)),
            # A national report: the provinces' reports it compiles (rollup.py).
            *(
                [(_("Báo cáo các tỉnh"), lambda sheet: _provinces(sheet, data))]
                if "rollup" in data
                else []
            ),
        ]
        total = len(steps) + 1  # the last step is saving the workbook
        for done, (title, write) in enumerate(steps, start=1):
            write(workbook.sheet(title))
            if progress is not None:
                progress(done, total)
        content = workbook.to_bytes()
        if progress is not None:
            progress(total, total)
        return content


def _number(value):
    """Snapshot decimals are strings: give Excel a number (an int when whole)."""
    if value is None or value == "":
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _table(
    sheet, title: str, data: dict, columns: list[tuple[str, int, str | None]], rows, total=None
) -> None:
    """Title rows, a header row (row 5), the rows and an optional bold total row; columns are
    (header, width, number format). Only cells with a number format, the header and the total
    get a style."""
    sheet.set_widths(width for _header, width, _fmt in columns)
    _heading(sheet, title, data)
    sheet.append(
        [sheet.cell(header, font=BOLD, border=GRID, alignment=HEAD) for header, _w, _f in columns]
    )
    formats = [fmt for _header, _width, fmt in columns]
    formatted = [i for i, fmt in enumerate(formats) if fmt]
    for values in rows:
        values = list(values)
        for i in formatted:
            if values[i] is not None:
                values[i] = sheet.cell(values[i], number_format=formats[i])
        sheet.append(values)
    if total is not None:
        sheet.append(
            [
                sheet.cell(value, font=BOLD, number_format=fmt)
                for value, fmt in zip(total, formats, strict=True)
            ]
        )


def _heading(sheet, title: str, data: dict) -> None:
    """Three title rows and a blank one above the table (the header is row 5); printed on A4
    landscape, as wide as one page, the header row repeated on every page."""
    sheet.freeze_panes = "A6"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "5:5"
    sheet.append([sheet.cell(title, font=TITLE)])
    sheet.append([sheet.cell(subject(data), font=BOLD)])
    as_of = _date(data["as_of"]).strftime("%d/%m/%Y")
    counted = _("Số liệu tính đến ngày %(day)s") % {"day": as_of}
    sheet.append([" ".join(filter(None, [window_sentence(data), counted]))])
    sheet.append([])


def _summary(sheet, report: Report) -> None:
    data = report.data
    sheet.title = _("Tổng hợp")
    title = _("PHỤ LỤC — TỔNG HỢP KẾT QUẢ %(period)s") % {"period": period_label(data).upper()}
    columns = [
        (_("STT"), 6, None),
        (_("Nội dung phối hợp"), 50, None),
        (_("Số hoạt động"), 12, COUNT),
        (_("Hoàn thành"), 12, COUNT),
        (_("Đang thực hiện"), 12, COUNT),
        (_("Chậm tiến độ"), 12, COUNT),
        (_("Chưa thực hiện"), 12, COUNT),
        (_("Hủy"), 10, COUNT),
        (_("Quá hạn"), 10, COUNT),
        (_("Kinh phí dự kiến (đồng)"), 18, MONEY_FORMAT),
        (_("Đã sử dụng (đồng)"), 18, MONEY_FORMAT),
    ]

    def values(tally):
        return [
            tally["total"],
            tally["done"],
            tally["in_progress"],
            tally["delayed"],
            tally["not_started"],
            tally["cancelled"],
            tally["overdue"],
            tally["planned_budget"],
            tally["spent"],
        ]

    rows = [[area["number"], area["title"], *values(area["tally"])] for area in data["areas"]]
    _table(sheet, title, data, columns, rows, total=["", _("Tổng cộng"), *values(data["totals"])])


def _indicators(sheet, data: dict) -> None:
    title = _("PHỤ LỤC — KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    indicators = data["indicators"]
    years = [y for y, _value in indicators[0]["yearly"]] if indicators else []
    columns = [
        (_("STT"), 6, None),
        (_("Mã"), 8, None),
        (_("Chỉ tiêu"), 45, None),
        (_("Nơi ghi nhận"), 18, None),
        (_("Đơn vị tính"), 12, None),
    ]
    annual = data["kind"] in YEARLY
    if annual:
        year = data["period"]["year"]
        columns += [
            (_("Kế hoạch năm %(year)s") % {"year": year}, 14, DECIMAL),
            (_("Thực hiện năm %(year)s") % {"year": year}, 14, DECIMAL),
        ]
    columns += [(str(y), 10, DECIMAL) for y in years]
    columns += [
        (_("Lũy kế") if annual else _("Cả giai đoạn"), 12, DECIMAL),
        (_("Chỉ tiêu giai đoạn"), 14, None),
        (_("Tỷ lệ so với chỉ tiêu (%)"), 14, DECIMAL),
        (_("Đánh giá"), 12, None),
    ]
    rows = []
    for i, item in enumerate(indicators, start=1):
        values = [i, item["code"], item["name"], item["origin"], item["unit"]]
        if annual:
            values += [_number(item["year_target"]), _number(item["year_value"])]
        values += [_number(value) for _year, value in item["yearly"]]
        values += [
            _number(item["achieved"]),
            item["target"],
            _number(item["percent"]),
            _("Đạt") if item["met"] else _("Chưa đạt"),
        ]
        rows.append(values)
    _table(sheet, title, data, columns, rows)


def _activities(sheet, data: dict, area: dict) -> None:
    title = _("PHỤ LỤC — HOẠT ĐỘNG THUỘC NỘI DUNG %(number)s: %(title)s") % {
        "number": area["number"],
        "title": area["title"],
    }
    columns = [
        (_("STT"), 6, None),
        (_("Năm"), 8, None),
        (_("Hoạt động"), 45, None),
        (_("Nơi ghi nhận"), 16, None),
        (_("Đơn vị chủ trì"), 30, None),
        (_("Bắt đầu"), 12, DATE),
        (_("Kết thúc"), 12, DATE),
        (_("Kinh phí dự kiến (đồng)"), 16, MONEY_FORMAT),
        (_("Đã sử dụng (đồng)"), 16, MONEY_FORMAT),
        (_("Trạng thái"), 16, None),
        (_("Tiến độ (%)"), 10, COUNT),
        (_("Chỉ số"), 8, None),
        (_("Chỉ tiêu"), 10, DECIMAL),
        (_("Kết quả"), 10, DECIMAL),
        (_("Quá hạn"), 9, None),
        (_("Ghi chú"), 40, None),
    ]
    mine = [a for a in data["activities"] if a["area"] == area["number"]]
    rows = [
        [
            i,
            a["year"],
            a["title"],
            a["origin"],
            a["lead"],
            _date(a["start"]),
            _date(a["end"]),
            a["planned"],
            a["spent"],
            str(STATUS_LABELS.get(a["status"], ProgressUpdate.Status.NOT_STARTED.label)),
            a["percent"],
            a["indicator"],
            _number(a["target"]),
            _number(a["actual"]),
            _("Quá hạn") if a["overdue"] else "",
            a["note"],
        ]
        for i, a in enumerate(mine, start=1)
    ]
    total = [
        "",
        "",
        _("Tổng cộng"),
        "",
        "",
        None,
        None,
        area["tally"]["planned_budget"],
        area["tally"]["spent"],
    ]
    _table(sheet, title, data, columns, rows, total=total + [""] * (len(columns) - len(total)))


def _cooperatives(sheet, data: dict) -> None:
    title = _("PHỤ LỤC — DANH SÁCH HỢP TÁC XÃ ĐƯỢC HỖ TRỢ")
    columns = [
        (_("STT"), 6, None),
        (_("Mã số HTX"), 14, "@"),
        (_("Tên HTX"), 40, None),
        (_("Tỉnh, thành phố"), 18, None),
        (_("Tỉnh (như ghi trong nguồn)"), 18, None),
        (_("Huyện (cũ)"), 16, None),
        (_("Xã, phường"), 16, None),
        (_("Ngành nghề"), 24, None),
        (_("Số thành viên"), 12, COUNT),
        (_("Thành viên là người DTTS"), 14, COUNT),
        (_("OCOP (sao)"), 10, COUNT),
    ]
    rows = [
        [
            i,
            c["code"],
            c["name"],
            c["province"],
            c["as_written"],
            c["district"],
            c["commune"],
            c["sector"],
            c["members"],
            c["ethnic_minority_members"],
            c["ocop_stars"],
        ]
        for i, c in enumerate(data["cooperatives"]["rows"], start=1)
    ]
    _table(sheet, title, data, columns, rows)


def _commendations(sheet, data: dict) -> None:
    title = _("PHỤ LỤC — KHEN THƯỞNG")
    forms = dict(Commendation.Form.choices)
    kinds = dict(Commendation.RecipientKind.choices)
    columns = [
        (_("STT"), 6, None),
        (_("Năm"), 8, None),
        (_("Đối tượng"), 14, None),
        (_("Người, tập thể được khen thưởng"), 40, None),
        (_("Hình thức"), 16, None),
        (_("Cấp khen thưởng"), 30, None),
        (_("Số quyết định"), 16, None),
        (_("Ngày quyết định"), 14, DATE),
        (_("Thành tích"), 40, None),
    ]
    rows = [
        [
            i,
            item["year"],
            str(kinds[item["recipient_kind"]]),
            item["recipient"],
            str(forms[item["form"]]),
            item["authority"],
            item["decision_number"],
            _date(item["decision_date"]),
            item["reason"],
        ]
        for i, item in enumerate(data["commendations"], start=1)
    ]
    _table(sheet, title, data, columns, rows)


def _provinces(sheet, data: dict) -> None:
    """The provinces' reports a national report compiles, one row each, and the totals per
    standard task area beneath."""
    rollup = data["rollup"]
    title = _("PHỤ LỤC — BÁO CÁO CỦA CÁC TỈNH, THÀNH PHỐ")
    columns = [
        (_("STT"), 6, None),
        (_("Tỉnh, thành phố"), 24, None),
        (_("Chương trình"), 50, None),
        (_("Tình trạng"), 28, None),
        (_("Phiên bản"), 10, COUNT),
        (_("Hoàn thành ngày"), 14, DATE),
        (_("Số hoạt động"), 12, COUNT),
        (_("Kinh phí dự kiến (đồng)"), 18, MONEY_FORMAT),
        (_("Đã sử dụng (đồng)"), 18, MONEY_FORMAT),
        (_("Đường dẫn"), 30, None),
    ]
    tallies = {row["program_id"]: row["tally"] for row in rollup["by_province"]}
    rows = []
    for i, row in enumerate(rollup["provinces"], start=1):
        tally = tallies.get(row["program_id"])
        rows.append(
            [
                i,
                row["province"],
                row["title"],
                state_label(row),
                row["version"] if row["state"] == "finalised" else None,
                _date(row["finalised_at"][:10]) if row["finalised_at"] else None,
                tally["total"] if tally else None,
                tally["planned_budget"] if tally else None,
                tally["spent"] if tally else None,
                reverse("reporting:report_detail", args=[row["report_id"]])
                if row["report_id"]
                else "",
            ]
        )
    totals = rollup["totals"]
    _table(
        sheet,
        title,
        data,
        columns,
        rows,
        total=[
            "",
            _("Tổng cộng"),
            "",
            "",
            None,
            None,
            *[totals[k] for k in ("total", "planned_budget", "spent")],
            "",
        ],
    )
