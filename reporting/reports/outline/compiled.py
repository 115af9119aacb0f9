"""The part of a national report compiled from the provinces' finalised reports (the snapshot's
'rollup', made by `reporting.reports.rollup`): who reported, the totals per standard task area,
the indicators combined across provinces, the cooperatives, the budget, and the table of the
provinces' reports (one row each, its state and a link to it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from coordination.models import Indicator
from reporting.reports.formatting import day, num, percent
from reporting.reports.rollup import STATE_LABELS, State

from .elements import Link, Paragraph, Table
from .sections import cooperative_count_tables

AGGREGATION_LABELS = dict(Indicator.Aggregation.choices)


def state_label(row: dict) -> str:
    """'Đã báo cáo', 'Đã báo cáo (sau hạn 20/12/2026)', 'Chưa báo cáo', …"""
    label = str(STATE_LABELS[row["state"]])
    if row["late"]:
        label = _("%(state)s (sau hạn %(deadline)s)") % {
            "state": label,
            "deadline": day(row["deadline"]),
        }
    return label


def rollup_summary(rollup: dict) -> str:
    """'Tổng hợp từ báo cáo đã hoàn thành của 12/14 chương trình cấp tỉnh; chưa báo cáo: …'."""
    rows = rollup["provinces"]
    counted = [r for r in rows if r["state"] == State.FINALISED]
    expected = [r for r in rows if r["state"] != State.INCLUDED]
    text = _(
        "Tổng hợp từ báo cáo đã hoàn thành của %(counted)s/%(expected)s chương trình cấp tỉnh "
        "thực hiện chương trình này (số liệu chốt tại thời điểm tỉnh hoàn thành báo cáo)."
    ) % {"counted": num(len(counted)), "expected": num(len(expected))}
    if rollup["missing"]:
        text += " " + _("Chưa báo cáo: %(names)s.") % {"names": ", ".join(rollup["missing"])}
    if rollup["late"]:
        text += " " + _("Báo cáo sau hạn: %(names)s.") % {"names": ", ".join(rollup["late"])}
    return text


def _tally_cells(tally: dict) -> list[str]:
    return [
        num(tally["total"]),
        num(tally["done"]),
        percent(tally["done_percent"]),
        num(tally["planned_budget"]),
        num(tally["spent"]),
    ]


def rollup_blocks(data: dict) -> list:
    """The compiled part of a national report (empty for other reports)."""
    rollup = data.get("rollup")
    if rollup is None:
        return []
    blocks: list = [Paragraph(rollup_summary(rollup))]
    columns = [
        _("Số hoạt động"),
        _("Hoàn thành"),
        _("Tỷ lệ hoàn thành"),
        _("Kinh phí dự kiến (đồng)"),
        _("Đã sử dụng (đồng)"),
    ]
    numeric = frozenset({2, 3, 4, 5, 6})
    if rollup["areas"]:
        blocks.append(
            Table(
                caption=_("Kết quả của các tỉnh, thành phố theo nội dung phối hợp chuẩn"),
                columns=[_("STT"), _("Nội dung phối hợp"), *columns],
                rows=[
                    [str(i), area["title"], *_tally_cells(area["tally"])]
                    for i, area in enumerate(rollup["areas"], start=1)
                ],
                widths=[1.0, 5.5, 1.8, 1.8, 1.8, 2.3, 2.3],
                numeric=numeric,
                footer=["", _("Tổng cộng"), *_tally_cells(rollup["totals"])],
            )
        )
        blocks.append(
            Paragraph(
                _(
                    "Kinh phí các tỉnh, thành phố dự kiến %(planned)s đồng, đã sử dụng "
                    "%(spent)s đồng (%(share)s)."
                )
                % {
                    "planned": num(rollup["totals"]["planned_budget"]),
                    "spent": num(rollup["totals"]["spent"]),
                    "share": percent(rollup["totals"]["spent_percent"]),
                }
            )
        )
    if rollup["indicators"]:
        blocks.append(
            Table(
                caption=_("Chỉ tiêu tổng hợp từ các tỉnh, thành phố"),
                columns=[
                    _("STT"),
                    _("Chỉ số"),
                    _("Đơn vị tính"),
                    _("Cách tổng hợp"),
                    _("Kết quả"),
                    _("Số tỉnh có số liệu"),
                ],
                rows=[
                    [
                        str(i),
                        row["name"],
                        row["unit"],
                        str(AGGREGATION_LABELS.get(row["aggregation"], row["aggregation"])),
                        num(row["value"]),
                        num(len(row["provinces"])),
                    ]
                    for i, row in enumerate(rollup["indicators"], start=1)
                ],
                widths=[1.0, 6.5, 2.0, 3.0, 2.0, 2.0],
                numeric=frozenset({4, 5}),
            )
        )
    coops = rollup["cooperatives"]
    if coops["total"]:
        blocks.append(
            Paragraph(
                _(
                    "Các tỉnh, thành phố đã hỗ trợ %(total)s hợp tác xã (mỗi HTX tính một lần) "
                    "với %(members)s thành viên, trong đó %(ethnic)s thành viên là người dân "
                    "tộc thiểu số (%(share)s)."
                )
                % {
                    "total": num(coops["total"]),
                    "members": num(coops["members"]),
                    "ethnic": num(coops["ethnic_minority_members"]),
                    "share": percent(coops["ethnic_minority_share"]),
                }
            )
        )
        blocks.extend(
            cooperative_count_tables(
                coops,
                sector_caption=_("Hợp tác xã được các tỉnh hỗ trợ theo ngành nghề"),
                province_caption=_("Hợp tác xã được các tỉnh hỗ trợ theo tỉnh, thành phố"),
                min_provinces=1,
            )
        )
    return blocks


def province_table(data: dict) -> list:
    """The table of the provinces' reports: one row per provincial program of the period."""
    rollup = data.get("rollup")
    if rollup is None or not rollup["provinces"]:
        return []
    rows = []
    for i, row in enumerate(rollup["provinces"], start=1):
        report = ""
        if row["report_id"]:
            report = _("Phiên bản %(version)s") % {"version": row["version"]}
            if row["finalised_at"]:
                report = f"{report}, {day(row['finalised_at'][:10])}"
            report = Link(report, reverse("reporting:report_detail", args=[row["report_id"]]))
        province = row["province"]
        if row["included_in"]:
            province = _("%(old)s (gộp vào: %(program)s)") % {
                "old": province,
                "program": row["included_in"],
            }
        rows.append([str(i), province, row["title"], state_label(row), report])
    return [
        Table(
            caption=_("Báo cáo của các tỉnh, thành phố"),
            columns=[
                _("STT"),
                _("Tỉnh, thành phố"),
                _("Chương trình"),
                _("Tình trạng"),
                _("Báo cáo"),
            ],
            rows=rows,
            widths=[1.0, 3.5, 6.0, 3.0, 3.0],
        )
    ]
