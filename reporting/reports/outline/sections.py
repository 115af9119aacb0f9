"""The sections of a report's outline, one function per part of the results: each turns the
snapshot's figures into headings, paragraphs, bullets and numbered tables (numbered later by
`layout`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reporting.reports.formatting import day, num, percent
from reporting.reports.models import Commendation
from reporting.reports.snapshot import YEARLY, activities_by_id
from reporting.reports.wording import activity_line, indicator_label, mixed, tally_sentence

from .elements import Bullets, Heading, Paragraph, Table

STATUS_COLUMNS = ["total", "done", "in_progress", "delayed", "not_started", "cancelled"]


def plans_blocks(data: dict) -> list:
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


def origin_blocks(data: dict) -> list:
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


def area_blocks(data: dict) -> list:
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


def year_blocks(data: dict) -> list:
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


def indicator_blocks(data: dict) -> list:
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
    if data["kind"] in YEARLY:
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


def cooperative_blocks(data: dict) -> list:
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
        *cooperative_count_tables(
            coops,
            sector_caption=_("Hợp tác xã được hỗ trợ theo ngành nghề"),
            province_caption=_("Hợp tác xã được hỗ trợ theo tỉnh, thành phố"),
        ),
    ]
    return blocks


def cooperative_count_tables(
    coops: dict, *, sector_caption: str, province_caption: str, min_provinces: int = 2
) -> list[Table]:
    """The supported cooperatives counted by sector (with the total) and, when they come from
    at least `min_provinces` provinces, by province: a program's report and the national
    compilation of the provinces' reports."""
    tables = [
        Table(
            caption=sector_caption,
            columns=[_("STT"), _("Ngành nghề, lĩnh vực"), _("Số HTX")],
            rows=[
                [str(i), sector or _("(chưa ghi)"), num(n)]
                for i, (sector, n) in enumerate(coops["by_sector"], start=1)
            ],
            widths=[1.2, 11.8, 3.5],
            numeric=frozenset({2}),
            footer=["", _("Tổng cộng"), num(coops["total"])],
        )
    ]
    if len(coops["by_province"]) >= min_provinces:
        tables.append(
            Table(
                caption=province_caption,
                columns=[_("STT"), _("Tỉnh, thành phố"), _("Số HTX")],
                rows=[
                    [str(i), label, num(n)]
                    for i, (label, n) in enumerate(coops["by_province"], start=1)
                ],
                widths=[1.2, 11.8, 3.5],
                numeric=frozenset({2}),
            )
        )
    return tables


def budget_blocks(data: dict) -> list:
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


def commendation_blocks(data: dict) -> list:
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
