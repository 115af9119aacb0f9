"""The yearly plan as documents: a Nghị định 30/2020/NĐ-CP "KẾ HOẠCH" (.docx) and the same
activities as a workbook (.xlsx). One builder (`plan_document`) gives plain data; the two
writers lay it out."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agencies.models import Agency
from core.formatting import number
from core.text import search_key
from core.xlsx import DATE_FORMAT, MONEY_FORMAT, Workbook

from .models import YearlyPlan
from .selectors import plan_overview


@dataclass
class PlanLine:
    title: str
    lead: str
    supporting: str
    start: datetime.date
    end: datetime.date
    budget: int


@dataclass
class PlanSection:
    number: int
    title: str
    lines: list[PlanLine]
    budget: int


@dataclass
class PlanDocument:
    # Per party: its parent body line ('' when none) and its own line, in capitals.
    agencies: list[tuple[str, str]]
    title: str
    subject: str
    number: str
    issued_on: datetime.date | None
    sections: list[PlanSection]
    budget: int
    filename_stem: str


def plan_document(plan: YearlyPlan) -> PlanDocument:
    """The plan's activities by task area (every task area, in order) with the planned budget
    of each area and of the whole plan."""
    overview = plan_overview(plan)
    day = names_date(plan)
    # The bodies as on the plan's date: a 2024 plan names Ban Dân tộc tỉnh Bình Phước, the
    # same activity in a plan issued after 1/7/2025 the Sở that carries it on (issue 15).
    agency_ids = {a.lead_agency_id for group in overview.groups for a in group.activities}
    agency_ids |= {
        s.pk
        for group in overview.groups
        for a in group.activities
        for s in a.supporting_agency_list
    }
    names = Agency.objects.filter(pk__in=agency_ids).names_on(day)
    sections = [
        PlanSection(
            number=group.area.number,
            title=group.area.title,
            budget=group.totals.budget,
            lines=[
                PlanLine(
                    title=a.title,
                    lead=names[a.lead_agency_id],
                    supporting="; ".join(names[s.pk] for s in a.supporting_agency_list),
                    start=a.start_date,
                    end=a.end_date,
                    budget=a.planned_budget or 0,
                )
                for a in group.activities
            ],
        )
        for group in overview.groups
    ]
    program = plan.program
    return PlanDocument(
        agencies=[(parent.upper(), name.upper()) for parent, name in party_lines(program, day)],
        title=_("KẾ HOẠCH"),
        subject=_("Thực hiện %(program)s năm %(year)s") % {"program": program, "year": plan.year},
        number=plan.document_number,
        issued_on=plan.issued_on,
        sections=sections,
        budget=overview.totals.budget,
        filename_stem=slugify(search_key(f"ke hoach {plan.year} {program.number or program}"))[
            :80
        ].rstrip("-"),
    )


def names_date(plan: YearlyPlan) -> datetime.date:
    """The day whose bodies issue the plan: its issue date, else the first day of its year (a
    plan is written before or as its year begins), never later than today."""
    if plan.issued_on:
        return plan.issued_on
    return min(timezone.localdate(), datetime.date(plan.year, 1, 1))


def party_lines(program, day: datetime.date) -> list[tuple[str, str]]:
    """Each party's header lines as on `day` (`Agency.document_lines` of the body carrying
    it then): each with its own parent, never one parent over both."""
    parties = Agency.objects.with_history().filter(pk__in=program.parties.values("pk"))
    return [party.on(day).document_lines(day) for party in parties]


def _when(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"


def plan_docx(document: PlanDocument) -> bytes:
    """A4, Times New Roman 14, the issuers and the national motto side by side, "KẾ HOẠCH"
    and its subject centred, then one numbered part and table per task area."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)

    def centred(cell_or_doc, text: str, *, bold=False, italic=False, size=None):
        paragraph = cell_or_doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    for parent, name in document.agencies:
        if parent:
            centred(left, parent, size=13)
        centred(left, name, bold=True, size=13)
    centred(left, _("Số: %(number)s") % {"number": document.number or "…"}, size=13)
    centred(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12)
    centred(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=13)
    when = document.issued_on
    centred(
        right,
        _("ngày %(day)s tháng %(month)s năm %(year)s")
        % {"day": f"{when.day:02d}", "month": f"{when.month:02d}", "year": when.year}
        if when
        else _("ngày … tháng … năm …"),
        italic=True,
        size=13,
    )
    centred(doc, document.title, bold=True)
    centred(doc, document.subject, bold=True)
    for index, part in enumerate(document.sections, start=1):
        doc.add_paragraph().add_run(f"{index}. {part.title}").bold = True
        if not part.lines:
            doc.add_paragraph(_("Chưa có hoạt động."))
            continue
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        headers = [_("Hoạt động"), _("Cơ quan chủ trì"), _("Cơ quan phối hợp"),
                   _("Thời gian"), _("Kinh phí (đồng)")]  # fmt: skip
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for line in part.lines:
            cells = table.add_row().cells
            values = [line.title, line.lead, line.supporting, _when(line.start, line.end),
                      number(line.budget)]  # fmt: skip
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(12)
    total = doc.add_paragraph()
    total.add_run(
        _("Tổng kinh phí dự kiến: %(amount)s đồng.") % {"amount": number(document.budget)}
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def plan_xlsx(document: PlanDocument) -> bytes:
    """One sheet, one row per activity with its task area by number and name; dates are dates
    and amounts numbers. Written by `core.xlsx`, which escapes text a spreadsheet would run as
    a formula (activity titles are typed by people)."""
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.sheet(str(_("Kế hoạch")))
    sheet.set_widths((6, 30, 40, 28, 28, 12, 12, 16))
    bold = Font(bold=True)
    sheet.append([sheet.cell(f"{document.title} {document.subject}", font=bold)])
    sheet.append([])
    sheet.append(
        sheet.cell(label, font=bold)
        for label in (
            _("Số"), _("Nội dung phối hợp"), _("Hoạt động"), _("Cơ quan chủ trì"),
            _("Cơ quan phối hợp"), _("Bắt đầu"), _("Kết thúc"), _("Kinh phí (đồng)"),
        )
    )  # fmt: skip
    for part in document.sections:
        for line in part.lines:
            sheet.append(
                [part.number, part.title, line.title, line.lead, line.supporting,
                 sheet.cell(line.start, number_format=DATE_FORMAT),
                 sheet.cell(line.end, number_format=DATE_FORMAT),
                 sheet.cell(line.budget, number_format=MONEY_FORMAT)]
            )  # fmt: skip
    sheet.append(
        [None, sheet.cell(_("Cộng"), font=bold), None, None, None, None, None,
         sheet.cell(document.budget, font=bold, number_format=MONEY_FORMAT)]
    )  # fmt: skip
    return book.to_bytes()
