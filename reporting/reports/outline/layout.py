"""The order of a sơ kết / tổng kết report (DOMAIN.md §5): the header from the report and its
signatories, then sections I–V with the staff's narrative between the figures' sections, and the
tables numbered in order."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Province
from core.people import display_name
from reporting.reports.formatting import number_and_symbol, place_and_date, roman, upper
from reporting.reports.models import NARRATIVE_SECTIONS, Report
from reporting.reports.snapshot import YEARLY
from reporting.reports.wording import next_period_label, period_label, subject, window_sentence

from .compiled import province_table, rollup_blocks
from .elements import Document, HeaderAgency, Heading, Narrative, Paragraph, Signature, Table
from .sections import (
    area_blocks,
    budget_blocks,
    commendation_blocks,
    cooperative_blocks,
    indicator_blocks,
    origin_blocks,
    plans_blocks,
    year_blocks,
)


def compose(report: Report) -> Document:
    """Lay out `report` (its snapshot, narrative, header and signatories) as a document."""
    data = report.data
    annual = data["kind"] in YEARLY
    signatories = list(report.signatories.all())
    doc = Document(
        agencies=[
            HeaderAgency(parent=upper(s.parent_name), name=upper(s.issuer_name))
            for s in signatories
        ],
        number_line=number_and_symbol(report.doc_number, report.doc_symbol),
        place_date=place_and_date(report.place, report.issued_on),
        doc_type=_("BÁO CÁO"),
        subject=subject(data),
        draft_label=(
            _("DỰ THẢO — phiên bản %(version)s") % {"version": report.version}
            if report.is_draft
            else ""
        ),
        recipients=[
            _recipient_line(line) for line in report.recipients.splitlines() if line.strip()
        ],
        signatures=[
            Signature(
                issuer=upper(s.issuer_name) if len(signatories) > 1 else "",
                position_lines=[upper(line) for line in s.position_lines],
                name=s.signer_name,
                finalised=s.is_finalised,
                finalised_by=display_name(s.finalised_by) if s.finalised_by_id else "",
                finalised_at=s.finalised_at,
            )
            for s in signatories
        ],
        appendix_note=_(
            "(Kèm theo Phụ lục: bảng chỉ tiêu, danh mục hoạt động theo nội dung phối hợp và "
            "danh sách hợp tác xã được hỗ trợ)"
        ),
    )
    narrative = report.narrative()
    labels = dict(NARRATIVE_SECTIONS)
    blocks = doc.blocks

    def story(key: str) -> Narrative:
        text = narrative[key]
        return Narrative(
            key=key,
            label=str(labels[key]),
            paragraphs=[p for p in text.split("\n") if p.strip()],
        )

    period = period_label(data)
    if window_sentence(data):
        blocks.append(Paragraph(window_sentence(data), italic=True))
    blocks.append(
        Heading(1, f"{roman(1)}. {upper(_('Tình hình triển khai thực hiện'))}", "situation")
    )
    blocks.extend(names_note(report, signatories))
    blocks.append(story("situation"))
    blocks.extend(plans_blocks(data))
    blocks.extend(origin_blocks(data))

    blocks.append(Heading(1, f"{roman(2)}. {upper(_('Kết quả thực hiện'))}", "results"))
    number = 0

    def sub(text: str, anchor: str = "") -> Heading:
        nonlocal number
        number += 1
        return Heading(2, f"{number}. {text}", anchor)

    blocks.append(sub(_("Kết quả thực hiện các nội dung phối hợp"), "areas"))
    blocks.extend(area_blocks(data))
    if not annual:
        blocks.append(sub(_("Kết quả theo từng năm"), "years"))
        blocks.extend(year_blocks(data))
    blocks.append(sub(_("Kết quả thực hiện các chỉ tiêu"), "indicators"))
    blocks.extend(indicator_blocks(data))
    blocks.append(sub(_("Hợp tác xã được hỗ trợ"), "cooperatives"))
    blocks.extend(cooperative_blocks(data))
    blocks.append(sub(_("Kinh phí thực hiện"), "budget"))
    blocks.extend(budget_blocks(data))
    blocks.append(sub(_("Công tác thi đua, khen thưởng"), "commendations"))
    blocks.extend(commendation_blocks(data))
    if "rollup" in data:
        # A national report: what the provinces' finalised reports add up to (rollup.py).
        blocks.append(sub(_("Kết quả của các tỉnh, thành phố"), "provinces"))
        blocks.extend(rollup_blocks(data))
        blocks.extend(province_table(data))

    blocks.append(Heading(1, f"{roman(3)}. {upper(_('Đánh giá chung'))}", "assessment"))
    blocks.append(Heading(2, f"1. {_('Những kết quả đạt được')}"))
    blocks.append(story("achievements"))
    blocks.append(Heading(2, f"2. {_('Tồn tại, hạn chế và nguyên nhân')}"))
    blocks.append(story("limitations"))
    blocks.append(Heading(2, f"3. {_('Bài học kinh nghiệm')}"))
    blocks.append(story("lessons"))
    blocks.append(
        Heading(
            1,
            f"{roman(4)}. {upper(_('Phương hướng, nhiệm vụ %(period)s') % {'period': next_period_label(data)})}",
            "directions",
        )
    )
    blocks.append(story("directions"))
    blocks.append(Heading(1, f"{roman(5)}. {upper(_('Kiến nghị, đề xuất'))}", "proposals"))
    blocks.append(story("proposals"))
    blocks.append(Paragraph(_closing(data, period), italic=False))
    _number_tables(blocks)
    return doc


def names_note(report: Report, signatories: list) -> list[Paragraph]:
    """For a report dated before a unit it names was renamed or merged, one line telling the
    reader today's names: 'Ban Dân tộc tỉnh Bình Phước (nay là Sở Dân tộc và Tôn giáo thành phố
    Đồng Nai)'. The header keeps the names of the report's date."""
    day, today = report.issued_on, timezone.localdate()
    if not day or day >= today:
        return []
    agencies = Agency.objects.with_history().in_bulk([s.agency_id for s in signatories])
    pairs = []
    program = report.program
    if program.province_id:
        province = Province.objects.with_names().get(pk=program.province_id)
        then = province.on(day).name_on(day).in_text
        pairs.append((then, province.current_unit().name_on(today).in_text))
    for signatory in signatories:
        agency = agencies[signatory.agency_id]
        pairs.append((agency.on(day).name_on(day), agency.current_agency().name_on(today)))
    changed = [_("%(then)s (nay là %(now)s)") % {"then": a, "now": b} for a, b in pairs if a != b]
    if not changed:
        return []
    text = _("Tên cơ quan, đơn vị trong báo cáo là tên tại ngày ban hành: %(names)s.")
    return [Paragraph(text % {"names": "; ".join(changed)}, italic=True)]


def _number_tables(blocks: list) -> None:
    """'Bảng 1. …', 'Bảng 2. …' in order (some tables appear only in some reports)."""
    number = 0
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            number += 1
            caption = _("Bảng %(number)s. %(caption)s") % {
                "number": number,
                "caption": block.caption,
            }
            blocks[i] = replace(block, caption=caption)


def _recipient_line(line: str) -> str:
    line = line.strip()
    return line if line.startswith("-") else f"- {line}"


def _closing(data: dict, period: str) -> str:
    return _("Trên đây là báo cáo %(kind)s %(period)s thực hiện %(title)s./.") % {
        "kind": _("sơ kết") if data["kind"] in YEARLY else _("tổng kết"),
        "period": period,
        "title": data["program"]["title"],
    }
