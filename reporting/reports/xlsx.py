"""The .xlsx appendix of a report: a summary sheet, the indicator table, one activity table per
task area, the cooperatives supported and the commendations. Figures are numbers (not text) so
the provinces can add them up; registration codes are text so their leading zeros survive."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from coordination.models import ProgressUpdate
from reporting.models import Commendation, Report

from .builder import ANNUAL
from .document import STATUS_LABELS, period_label, subject

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name=FONT, bold=True, size=12)
PLAIN = Font(name=FONT, size=12)
TITLE = Font(name=FONT, bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD = Alignment(wrap_text=True, horizontal="center", vertical="center")
AMOUNT = "#,##0"
DECIMAL = "#,##0.##"
DATE = "DD/MM/YYYY"


def write_xlsx(report: Report) -> bytes:
    """The appendix workbook of `report`, from its snapshot."""
    with translation.override("vi"):
        workbook = Workbook()
        data = report.data
        _summary(workbook.active, report)
        _indicators(workbook.create_sheet(_("Chỉ tiêu")), data)
        for area in data["areas"]:
            sheet = workbook.create_sheet(_("Nội dung %(number)s") % {"number": area["number"]})
            _activities(sheet, data, area)
        _cooperatives(workbook.create_sheet(_("HTX được hỗ trợ")), data)
        _commendations(workbook.create_sheet(_("Khen thưởng")), data)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _number(value):
    """Snapshot decimals are strings: give Excel a number (an int when whole)."""
    if value is None or value == "":
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _table(sheet, start_row: int, columns: list[tuple[str, int, str | None]], rows, total=None):
    """Write a bordered table at `start_row`: columns are (header, width, number format)."""
    for c, (header, width, _fmt) in enumerate(columns, start=1):
        cell = sheet.cell(row=start_row, column=c, value=header)
        cell.font, cell.alignment, cell.border = BOLD, HEAD, GRID
        sheet.column_dimensions[get_column_letter(c)].width = width
    r = start_row
    for r, values in enumerate(rows, start=start_row + 1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.font, cell.alignment, cell.border = PLAIN, WRAP, GRID
            fmt = columns[c - 1][2]
            if fmt:
                cell.number_format = fmt
    if total is not None:
        r += 1
        for c, value in enumerate(total, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.font, cell.border = BOLD, GRID
            fmt = columns[c - 1][2]
            if fmt:
                cell.number_format = fmt
    sheet.freeze_panes = sheet.cell(row=start_row + 1, column=1)
    return r


def _heading(sheet, title: str, data: dict) -> int:
    sheet.cell(row=1, column=1, value=title).font = TITLE
    sheet.cell(row=2, column=1, value=subject(data)).font = BOLD
    sheet.cell(
        row=3,
        column=1,
        value=_("Số liệu tính đến ngày %(day)s")
        % {"day": _date(data["as_of"]).strftime("%d/%m/%Y")},
    ).font = PLAIN
    return 5


def _summary(sheet, report: Report) -> None:
    data = report.data
    sheet.title = _("Tổng hợp")
    row = _heading(
        sheet,
        _("PHỤ LỤC — TỔNG HỢP KẾT QUẢ %(period)s") % {"period": period_label(data).upper()},
        data,
    )
    columns = [
        (_("STT"), 6, None),
        (_("Nội dung phối hợp"), 50, None),
        (_("Số hoạt động"), 12, AMOUNT),
        (_("Hoàn thành"), 12, AMOUNT),
        (_("Đang thực hiện"), 12, AMOUNT),
        (_("Chậm tiến độ"), 12, AMOUNT),
        (_("Chưa thực hiện"), 12, AMOUNT),
        (_("Hủy"), 10, AMOUNT),
        (_("Quá hạn"), 10, AMOUNT),
        (_("Kinh phí dự kiến (đồng)"), 18, AMOUNT),
        (_("Đã sử dụng (đồng)"), 18, AMOUNT),
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
    _table(sheet, row, columns, rows, total=["", _("Tổng cộng"), *values(data["totals"])])


def _indicators(sheet, data: dict) -> None:
    row = _heading(sheet, _("PHỤ LỤC — KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"), data)
    indicators = data["indicators"]
    years = [y for y, _value in indicators[0]["yearly"]] if indicators else []
    columns = [
        (_("STT"), 6, None),
        (_("Mã"), 8, None),
        (_("Chỉ tiêu"), 45, None),
        (_("Nơi ghi nhận"), 18, None),
        (_("Đơn vị tính"), 12, None),
    ]
    annual = data["kind"] == ANNUAL
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
    _table(sheet, row, columns, rows)


def _activities(sheet, data: dict, area: dict) -> None:
    title = _("PHỤ LỤC — HOẠT ĐỘNG THUỘC NỘI DUNG %(number)s: %(title)s") % {
        "number": area["number"],
        "title": area["title"],
    }
    row = _heading(sheet, title, data)
    columns = [
        (_("STT"), 6, None),
        (_("Năm"), 8, None),
        (_("Hoạt động"), 45, None),
        (_("Nơi ghi nhận"), 16, None),
        (_("Đơn vị chủ trì"), 30, None),
        (_("Bắt đầu"), 12, DATE),
        (_("Kết thúc"), 12, DATE),
        (_("Kinh phí dự kiến (đồng)"), 16, AMOUNT),
        (_("Đã sử dụng (đồng)"), 16, AMOUNT),
        (_("Trạng thái"), 16, None),
        (_("Tiến độ (%)"), 10, AMOUNT),
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
    _table(sheet, row, columns, rows, total=total + [""] * (len(columns) - len(total)))


def _cooperatives(sheet, data: dict) -> None:
    row = _heading(sheet, _("PHỤ LỤC — DANH SÁCH HỢP TÁC XÃ ĐƯỢC HỖ TRỢ"), data)
    columns = [
        (_("STT"), 6, None),
        (_("Mã số HTX"), 14, "@"),
        (_("Tên HTX"), 40, None),
        (_("Tỉnh, thành phố"), 18, None),
        (_("Tỉnh (như ghi trong nguồn)"), 18, None),
        (_("Huyện (cũ)"), 16, None),
        (_("Xã, phường"), 16, None),
        (_("Ngành nghề"), 24, None),
        (_("Số thành viên"), 12, AMOUNT),
        (_("Thành viên là người DTTS"), 14, AMOUNT),
        (_("OCOP (sao)"), 10, AMOUNT),
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
    _table(sheet, row, columns, rows)


def _commendations(sheet, data: dict) -> None:
    row = _heading(sheet, _("PHỤ LỤC — KHEN THƯỞNG"), data)
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
    _table(sheet, row, columns, rows)
