"""The report as a document: the snapshot's figures and the staff's narrative laid out as the
headings, paragraphs and tables of a sơ kết / tổng kết report (DOMAIN.md §5). The HTML page and
the .docx writer both render this one outline, so they always say the same thing.

Nothing here reads the database beyond the report and its signatories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from coordination.models import ProgressUpdate
from core.people import display_name
from reporting.models import NARRATIVE_SECTIONS, Commendation, Report

from .builder import ANNUAL, activities_by_id
from .formatting import day, num, number_and_symbol, percent, place_and_date, roman, upper

STATUS_LABELS = dict(ProgressUpdate.Status.choices)
STATUS_COLUMNS = ["total", "done", "in_progress", "delayed", "not_started", "cancelled"]
MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_PRINCIPLE = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Heading:
    level: int  # 1: "I. TÌNH HÌNH …", 2: "1. …", 3: "a) …"
    text: str
    anchor: str = ""
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False
    kind: str = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: list[str]
    kind: str = "bullets"


@dataclass(frozen=True)
class Table:
    """A numbered table: `numeric` columns are right-aligned; `widths` in centimetres add up to
    the text width (16.5 cm on A4 with the decree's margins)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    numeric: frozenset[int] = frozenset()
    footer: list[str] | None = None
    kind: str = "table"


@dataclass(frozen=True)
class Narrative:
    """A section written by staff; `key` is the Report field it comes from."""

    key: str
    label: str
    paragraphs: list[str]
    kind: str = "narrative"


@dataclass(frozen=True)
class HeaderAgency:
    parent: str
    name: str


@dataclass(frozen=True)
class Signature:
    issuer: str
    position_lines: list[str]
    name: str
    finalised: bool
    finalised_by: str
    finalised_at: datetime.datetime | None


@dataclass
class Document:
    agencies: list[HeaderAgency]
    number_line: str
    place_date: str
    doc_type: str
    subject: str
    draft_label: str
    blocks: list = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    appendix_note: str = ""
    motto_nation: str = MOTTO_NATION
    motto_principle: str = MOTTO_PRINCIPLE


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
    blocks.extend(_plans_blocks(data))
    blocks.extend(_origin_blocks(data))

    blocks.append(Heading(1, f"{roman(2)}. {upper(_('Kết quả thực hiện'))}", "results"))
    number = 0

    def sub(text: str, anchor: str = "") -> Heading:
        nonlocal number
        number += 1
        return Heading(2, f"{number}. {text}", anchor)

    blocks.append(sub(_("Kết quả thực hiện các nội dung phối hợp"), "areas"))
    blocks.extend(_area_blocks(data))
    if not annual:
        blocks.append(sub(_("Kết quả theo từng năm"), "years"))
        blocks.extend(_year_blocks(data))
    blocks.append(sub(_("Kết quả thực hiện các chỉ tiêu"), "indicators"))
    blocks.extend(_indicator_blocks(data))
    blocks.append(sub(_("Hợp tác xã được hỗ trợ"), "cooperatives"))
    blocks.extend(_cooperative_blocks(data))
    blocks.append(sub(_("Kinh phí thực hiện"), "budget"))
    blocks.extend(_budget_blocks(data))
    blocks.append(sub(_("Công tác thi đua, khen thưởng"), "commendations"))
    blocks.extend(_commendation_blocks(data))

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


# --- words -------------------------------------------------------------------------------------


def period_label(data: dict) -> str:
    """'năm 2024' / 'giai đoạn 2021–2025'."""
    period = data["period"]
    if data["kind"] == ANNUAL:
        return _("năm %(year)s") % {"year": period["year"]}
    return _("giai đoạn %(start)s–%(end)s") % {
        "start": period["start_year"],
        "end": period["end_year"],
    }


def next_period_label(data: dict) -> str:
    following = data["period"]["next"]
    if following["kind"] == ANNUAL:
        return _("năm %(year)s") % {"year": following["year"]}
    return _("giai đoạn %(start)s–%(end)s") % {"start": following["start"], "end": following["end"]}


def subject(data: dict) -> str:
    """The subject line under 'BÁO CÁO'."""
    program = data["program"]
    if data["kind"] == ANNUAL:
        text = _("Sơ kết năm %(year)s thực hiện %(title)s") % {
            "year": data["period"]["year"],
            "title": program["title"],
        }
    else:
        text = _("Tổng kết giai đoạn %(start)s–%(end)s thực hiện %(title)s") % {
            "start": data["period"]["start_year"],
            "end": data["period"]["end_year"],
            "title": program["title"],
        }
    return text


def program_reference(program: dict) -> str:
    """'Đề án … (số 2993/QĐ-UBND)'."""
    if program["number"]:
        return f"{program['title']} ({_('số')} {program['number']})"
    return program["title"]


def _recipient_line(line: str) -> str:
    line = line.strip()
    return line if line.startswith("-") else f"- {line}"


def _closing(data: dict, period: str) -> str:
    return _("Trên đây là báo cáo %(kind)s %(period)s thực hiện %(title)s./.") % {
        "kind": _("sơ kết") if data["kind"] == ANNUAL else _("tổng kết"),
        "period": period,
        "title": data["program"]["title"],
    }


def tally_sentence(tally: dict) -> str:
    return _(
        "Tổng số %(total)s hoạt động: hoàn thành %(done)s (%(done_percent)s); đang thực hiện "
        "%(in_progress)s; chậm tiến độ %(delayed)s; chưa thực hiện %(not_started)s; hủy "
        "%(cancelled)s; quá hạn chưa hoàn thành %(overdue)s."
    ) % {
        "total": num(tally["total"]),
        "done": num(tally["done"]),
        "done_percent": percent(tally["done_percent"]),
        "in_progress": num(tally["in_progress"]),
        "delayed": num(tally["delayed"]),
        "not_started": num(tally["not_started"]),
        "cancelled": num(tally["cancelled"]),
        "overdue": num(tally["overdue"]),
    }


def mixed(data: dict) -> bool:
    """Whether the report rolls up several programs, so rows say where they were recorded."""
    return len(data["programs"]) > 1


def with_unit(value, unit: str) -> str:
    """'100%', '2 HTX'."""
    text = num(value) or "0"
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}".strip()


def activity_line(activity: dict, *, with_state: bool, origin: bool = False) -> str:
    """'Title (Lead; Chậm tiến độ, 50%; note)'; `origin` adds where it was recorded."""
    parts = [activity["lead"]]
    if origin and activity["origin"]:
        parts.append(activity["origin"])
    if with_state:
        state = f"{STATUS_LABELS[activity['status']]}, {activity['percent']}%"
        if activity["overdue"]:
            state += f", {_('quá hạn từ')} {day(activity['end'])}"
        parts.append(state)
    if activity["actual"] is not None:
        parts.append(f"{_('kết quả')}: {num(activity['actual'])}")
    if activity["note"]:
        parts.append(activity["note"])
    return f"{activity['title']} ({'; '.join(parts)})"


# --- blocks ------------------------------------------------------------------------------------


def _plans_blocks(data: dict) -> list:
    if not data["plans"]:
        return [Paragraph(_("Chưa có kế hoạch năm nào trong kỳ báo cáo."), italic=True)]
    several = len(data["programs"]) > 1
    rows = []
    for i, plan in enumerate(data["plans"], start=1):
        document = plan["document_number"] or _("(chưa có số)")
        if plan["issued_on"]:
            document = f"{document}, {_('ngày')} {day(plan['issued_on'])}"
        label = str(plan["year"])
        if several:
            origin = next(p for p in data["programs"] if p["id"] == plan["program_id"])
            label = f"{plan['year']} — {origin['province']}"
        rows.append([str(i), label, document, num(plan["activities"]), num(plan["planned_budget"])])
    return [
        Table(
            caption=_("Kế hoạch năm được ban hành"),
            columns=[
                _("STT"),
                _("Năm"),
                _("Số, ngày văn bản"),
                _("Số hoạt động"),
                _("Kinh phí dự kiến (đồng)"),
            ],
            rows=rows,
            widths=[1.2, 3.5, 5.3, 2.5, 4.0],
            numeric=frozenset({3, 4}),
        )
    ]


def _origin_blocks(data: dict) -> list:
    if not data["by_origin"]:
        return []
    current = data["current_province"]["label"] if data["current_province"] else ""
    rows = []
    for i, row in enumerate(data["by_origin"], start=1):
        where = row["province"]
        if row["origin"] and current:
            where = _("%(old)s, nay thuộc %(new)s") % {"old": row["province"], "new": current}
        rows.append(
            [
                str(i),
                row["title"],
                where,
                num(row["tally"]["total"]),
                num(row["tally"]["done"]),
                num(row["cooperatives"]),
            ]
        )
    return [
        Paragraph(
            _(
                "Số liệu ghi nhận theo địa giới hành chính cũ được tổng hợp chung dưới đơn vị "
                "hành chính hiện nay, ghi rõ nơi ghi nhận:"
            )
        ),
        Table(
            caption=_("Số liệu theo nơi ghi nhận"),
            columns=[
                _("STT"),
                _("Chương trình"),
                _("Nơi ghi nhận"),
                _("Hoạt động"),
                _("Hoàn thành"),
                _("HTX được hỗ trợ"),
            ],
            rows=rows,
            widths=[1.2, 6.3, 3.5, 1.8, 1.9, 1.8],
            numeric=frozenset({3, 4, 5}),
        ),
    ]


def _area_blocks(data: dict) -> list:
    blocks: list = [Paragraph(tally_sentence(data["totals"]))]
    rows = [[str(a["number"]), a["title"], *_status_cells(a["tally"])] for a in data["areas"]]
    blocks.append(
        Table(
            caption=_("Hoạt động theo nội dung phối hợp"),
            columns=[
                _("STT"),
                _("Nội dung phối hợp"),
                _("Số hoạt động"),
                _("Hoàn thành"),
                _("Đang thực hiện"),
                _("Chậm tiến độ"),
                _("Chưa thực hiện"),
                _("Hủy"),
            ],
            rows=rows,
            widths=[1.2, 5.3, 1.7, 1.7, 1.7, 1.7, 1.7, 1.5],
            numeric=frozenset(range(2, 8)),
            footer=["", _("Tổng cộng"), *_status_cells(data["totals"])],
        )
    )
    by_id = activities_by_id(data)
    for area in data["areas"]:
        t = area["tally"]
        blocks.append(Heading(3, f"{area['number']}) {area['title']}"))
        if not t["total"]:
            blocks.append(Paragraph(_("Không có hoạt động trong kỳ báo cáo."), italic=True))
            continue
        blocks.append(
            Paragraph(
                _(
                    "Kế hoạch %(total)s hoạt động; hoàn thành %(done)s, đang thực hiện "
                    "%(in_progress)s, chưa hoàn thành %(not_done)s (chậm tiến độ %(delayed)s, "
                    "chưa thực hiện %(not_started)s), hủy %(cancelled)s."
                )
                % {
                    "total": num(t["total"]),
                    "done": num(t["done"]),
                    "in_progress": num(t["in_progress"]),
                    "not_done": num(t["delayed"] + t["not_started"]),
                    "delayed": num(t["delayed"]),
                    "not_started": num(t["not_started"]),
                    "cancelled": num(t["cancelled"]),
                }
            )
        )
        if area["notable_done"]:
            blocks.append(Paragraph(_("Các hoạt động hoàn thành tiêu biểu:"), italic=True))
            blocks.append(
                Bullets(
                    [
                        activity_line(by_id[i], with_state=False, origin=mixed(data))
                        for i in area["notable_done"]
                    ]
                )
            )
        if area["lagging"]:
            blocks.append(Paragraph(_("Các hoạt động chậm tiến độ, quá hạn:"), italic=True))
            blocks.append(
                Bullets(
                    [
                        activity_line(by_id[i], with_state=True, origin=mixed(data))
                        for i in area["lagging"]
                    ]
                )
            )
    return blocks


def _status_cells(tally: dict) -> list[str]:
    """Activities, done, in progress, delayed, not started, cancelled."""
    return [num(tally[key]) for key in STATUS_COLUMNS]


def _budget_cells(tally: dict) -> list[str]:
    """Planned, spent, spent as a share of planned."""
    return [num(tally["planned_budget"]), num(tally["spent"]), percent(tally["spent_percent"])]


def _year_blocks(data: dict) -> list:
    def cells(label, tally: dict, cooperatives: int) -> list[str]:
        return [
            label,
            num(tally["total"]),
            num(tally["done"]),
            percent(tally["done_percent"]),
            num(tally["planned_budget"]),
            num(tally["spent"]),
            num(cooperatives),
        ]

    return [
        Table(
            caption=_("Kết quả theo từng năm"),
            columns=[
                _("Năm"),
                _("Số hoạt động"),
                _("Hoàn thành"),
                _("Tỷ lệ hoàn thành"),
                _("Kinh phí dự kiến (đồng)"),
                _("Đã sử dụng (đồng)"),
                _("HTX được hỗ trợ"),
            ],
            rows=[cells(str(r["year"]), r["tally"], r["cooperatives"]) for r in data["by_year"]],
            widths=[1.5, 1.9, 1.9, 2.2, 3.3, 3.3, 2.4],
            numeric=frozenset(range(1, 7)),
            footer=cells(_("Cả giai đoạn"), data["totals"], data["cooperatives"]["total"]),
        )
    ]


def indicator_label(row: dict, *, origin: bool = False) -> str:
    text = f"{row['code']}. {row['name']}"
    return f"{text} — {row['origin']}" if origin and row["origin"] else text


def _indicator_blocks(data: dict) -> list:
    indicators = data["indicators"]
    if not indicators:
        return [Paragraph(_("Chương trình chưa có chỉ tiêu cho kỳ báo cáo."), italic=True)]
    met = sum(1 for row in indicators if row["met"])
    blocks: list = [
        Paragraph(
            _("Có %(met)s/%(total)s chỉ tiêu đạt hoặc vượt chỉ tiêu giai đoạn.")
            % {"met": num(met), "total": num(len(indicators))}
        )
    ]
    if data["kind"] == ANNUAL:
        year = data["period"]["year"]
        rows = [
            [
                str(i),
                indicator_label(row, origin=mixed(data)),
                row["unit"],
                num(row["year_target"]),
                num(row["year_value"]),
                row["target"],
                num(row["achieved"]),
                percent(row["percent"]),
            ]
            for i, row in enumerate(indicators, start=1)
        ]
        blocks.append(
            Table(
                caption=_("Kết quả thực hiện các chỉ tiêu"),
                columns=[
                    _("STT"),
                    _("Chỉ tiêu"),
                    _("Đơn vị tính"),
                    _("Kế hoạch năm %(year)s") % {"year": year},
                    _("Thực hiện năm %(year)s") % {"year": year},
                    _("Chỉ tiêu giai đoạn"),
                    _("Lũy kế đến năm %(year)s") % {"year": year},
                    _("Tỷ lệ so với chỉ tiêu giai đoạn"),
                ],
                rows=rows,
                widths=[1.2, 4.8, 1.6, 1.8, 1.8, 1.7, 1.8, 1.8],
                numeric=frozenset({3, 4, 5, 6, 7}),
            )
        )
    else:
        years = [y for y, _value in indicators[0]["yearly"]]
        rows = [
            [
                str(i),
                indicator_label(row, origin=mixed(data)),
                row["unit"],
                *[num(value) for _year, value in row["yearly"]],
                num(row["achieved"]),
                row["target"],
                _("Đạt") if row["met"] else _("Chưa đạt"),
            ]
            for i, row in enumerate(indicators, start=1)
        ]
        # 16.5 cm of text width: 9.7 for the fixed columns, the rest shared by the years.
        year_width = round(6.8 / max(len(years), 1), 2)
        blocks.append(
            Table(
                caption=_("Kết quả thực hiện các chỉ tiêu"),
                columns=[
                    _("STT"),
                    _("Chỉ tiêu"),
                    _("Đơn vị tính"),
                    *[str(y) for y in years],
                    _("Cả giai đoạn"),
                    _("Chỉ tiêu giai đoạn"),
                    _("Đánh giá"),
                ],
                rows=rows,
                widths=[1.1, 3.4, 1.3, *[year_width] * len(years), 1.3, 1.3, 1.3],
                numeric=frozenset(range(3, 5 + len(years))),
            )
        )
    return blocks


def _cooperative_blocks(data: dict) -> list:
    coops = data["cooperatives"]
    if not coops["total"]:
        return [Paragraph(_("Chưa ghi nhận hợp tác xã được hỗ trợ trong kỳ báo cáo."), italic=True)]
    blocks: list = [
        Paragraph(
            _(
                "Các hoạt động đã hỗ trợ %(total)s hợp tác xã với %(members)s thành viên, trong đó "
                "%(ethnic)s thành viên là người dân tộc thiểu số (%(share)s, tính trên các HTX "
                "có số liệu). Danh sách tại Phụ lục."
            )
            % {
                "total": num(coops["total"]),
                "members": num(coops["members"]),
                "ethnic": num(coops["ethnic_minority_members"]),
                "share": percent(coops["ethnic_minority_share"]),
            }
        ),
        Table(
            caption=_("Hợp tác xã được hỗ trợ theo ngành nghề"),
            columns=[_("STT"), _("Ngành nghề, lĩnh vực"), _("Số HTX")],
            rows=[
                [str(i), sector or _("(chưa ghi)"), num(n)]
                for i, (sector, n) in enumerate(coops["by_sector"], start=1)
            ],
            widths=[1.2, 11.8, 3.5],
            numeric=frozenset({2}),
            footer=["", _("Tổng cộng"), num(coops["total"])],
        ),
    ]
    if len(coops["by_province"]) > 1:
        blocks.append(
            Table(
                caption=_("Hợp tác xã được hỗ trợ theo tỉnh, thành phố"),
                columns=[_("STT"), _("Tỉnh, thành phố"), _("Số HTX")],
                rows=[
                    [str(i), label, num(n)]
                    for i, (label, n) in enumerate(coops["by_province"], start=1)
                ],
                widths=[1.2, 11.8, 3.5],
                numeric=frozenset({2}),
            )
        )
    return blocks


def _budget_blocks(data: dict) -> list:
    t = data["totals"]
    rows = [[str(a["number"]), a["title"], *_budget_cells(a["tally"])] for a in data["areas"]]
    return [
        Paragraph(
            _("Tổng kinh phí dự kiến %(planned)s đồng; đã sử dụng %(spent)s đồng, đạt %(percent)s.")
            % {
                "planned": num(t["planned_budget"]),
                "spent": num(t["spent"]),
                "percent": percent(t["spent_percent"]),
            }
        ),
        Table(
            caption=_("Kinh phí theo nội dung phối hợp"),
            columns=[
                _("STT"),
                _("Nội dung phối hợp"),
                _("Dự kiến (đồng)"),
                _("Đã sử dụng (đồng)"),
                _("Tỷ lệ"),
            ],
            rows=rows,
            widths=[1.2, 7.3, 3.2, 3.2, 1.6],
            numeric=frozenset({2, 3, 4}),
            footer=["", _("Tổng cộng"), *_budget_cells(t)],
        ),
    ]


def _commendation_blocks(data: dict) -> list:
    items = data["commendations"]
    if not items:
        return [Paragraph(_("Chưa ghi nhận khen thưởng trong kỳ báo cáo."), italic=True)]
    forms = dict(Commendation.Form.choices)
    kinds = dict(Commendation.RecipientKind.choices)
    rows = [
        [
            str(i),
            f"{item['recipient']} ({kinds[item['recipient_kind']].lower()})",
            str(forms[item["form"]]),
            item["authority"],
            f"{item['decision_number']}, {day(item['decision_date'])}",
        ]
        for i, item in enumerate(items, start=1)
    ]
    counts: dict[str, int] = {}
    for item in items:
        counts[item["form"]] = counts.get(item["form"], 0) + 1
    summary = "; ".join(f"{num(n)} {str(forms[form]).lower()}" for form, n in counts.items())
    return [
        Paragraph(_("Đã khen thưởng: %(summary)s.") % {"summary": summary}),
        Table(
            caption=_("Khen thưởng"),
            columns=[
                _("STT"),
                _("Đối tượng được khen thưởng"),
                _("Hình thức"),
                _("Cấp khen thưởng"),
                _("Số, ngày quyết định"),
            ],
            rows=rows,
            widths=[1.2, 5.3, 2.2, 4.0, 3.8],
        ),
    ]
