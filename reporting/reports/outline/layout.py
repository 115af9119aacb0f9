"""The order of a sơ kết / tổng kết report (DOMAIN.md §5): the header from the report and its
signatories, then sections I–V with the staff's narrative between the figures' sections, and the
tables numbered in order."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from core.people import display_name
from reporting.reports.formatting import number_and_symbol, place_and_date, roman, upper
from reporting.reports.models import NARRATIVE_SECTIONS, Report
from reporting.reports.snapshot import ANNUAL
from reporting.reports.wording import next_period_label, period_label, subject

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
    annual = data["kind"] == ANNUAL
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
    blocks.append(
        Heading(1, f"{roman(1)}. {upper(_('Tình hình triển khai thực hiện'))}", "situation")
    )
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
        "kind": _("sơ kết") if data["kind"] == ANNUAL else _("tổng kết"),
        "period": period,
        "title": data["program"]["title"],
    }
