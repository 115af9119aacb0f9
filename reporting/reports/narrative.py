"""Narrative sections prefilled from the facts in the data, so staff edit rather than start
from a blank page: how the plans were issued, what was done, what lags behind and why (the
notes of the latest progress updates), and what carries over to the next period."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .formatting import day, num, percent
from .snapshot import YEARLY, lagging_activities, unmet_indicators
from .wording import (
    activity_line,
    indicator_label,
    mixed,
    next_period_label,
    period_label,
    program_reference,
    tally_sentence,
    with_unit,
)

# How many activities a prefilled section names before saying "and N more".
LISTED = 10


def suggest(data: dict) -> dict[str, str]:
    """The prefilled text of every narrative section (empty where the data says nothing). A
    national report's achievements, limitations and proposals also start from each province's
    own words, attributed, for the ministry's staff to condense."""
    sections = {
        "situation": _situation(data),
        "achievements": _achievements(data),
        "limitations": _limitations(data),
        "lessons": "",
        "directions": _directions(data),
        "proposals": "",
    }
    for key, points in data.get("rollup", {}).get("key_points", {}).items():
        lines = [sections[key]] if sections[key] else []
        if points:
            lines.append(_("Các tỉnh, thành phố báo cáo:"))
        for province, text in points:
            paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
            lines.append(f"- {province}: {paragraphs[0]}")
            lines.extend(f"  {p}" for p in paragraphs[1:])
        sections[key] = "\n".join(lines)
    return sections


def _lines(items: list, write=str) -> list[str]:
    """The first LISTED items as '- ' lines (written by `write`), then 'and N more'."""
    shown = [f"- {write(item)}" for item in items[:LISTED]]
    if len(items) > LISTED:
        shown.append(
            _("- và %(count)s mục khác (xem Phụ lục).") % {"count": num(len(items) - LISTED)}
        )
    return shown


def _indicator_lines(data: dict, rows: list[dict]) -> list[str]:
    """'- CT1. …: đạt 2 HTX, chỉ tiêu ≥ 3' for each indicator row."""
    return _lines(
        rows,
        lambda row: (
            _("%(indicator)s: đạt %(value)s, chỉ tiêu %(target)s")
            % {
                "indicator": indicator_label(row, origin=mixed(data)),
                "value": with_unit(row["achieved"], row["unit"]),
                "target": row["target"],
            }
        ),
    )


def _situation(data: dict) -> str:
    program = data["program"]
    parties = []
    for party in data["parties"]:
        if party["current_id"] != party["agency_id"]:
            parties.append(
                _("%(name)s (nay là %(current)s)")
                % {"name": party["name"], "current": party["current_name"]}
            )
        else:
            parties.append(party["name"])
    lines = [
        _(
            "Thực hiện %(reference)s, %(period)s %(parties)s đã phối hợp triển khai %(plans)s "
            "kế hoạch năm với %(activities)s hoạt động, tổng kinh phí dự kiến %(budget)s đồng."
        )
        % {
            "reference": program_reference(program),
            "period": period_label(data),
            "parties": _(" và ").join(parties),
            "plans": num(len(data["plans"])),
            "activities": num(data["totals"]["total"]),
            "budget": num(data["totals"]["planned_budget"]),
        }
    ]
    for plan in data["plans"]:
        if plan["document_number"]:
            issued = f" {_('ngày')} {day(plan['issued_on'])}" if plan["issued_on"] else ""
            lines.append(
                _("- Kế hoạch số %(number)s%(issued)s (năm %(year)s): %(count)s hoạt động.")
                % {
                    "number": plan["document_number"],
                    "issued": issued,
                    "year": plan["year"],
                    "count": num(plan["activities"]),
                }
            )
    where = data["current_province"]["label"] if data["current_province"] else ""
    if mixed(data):
        names = [f"{p['title']} ({p['province']})" for p in data["programs"]]
        lines.append(
            _(
                "Sau sắp xếp đơn vị hành chính từ ngày 01/7/2025, báo cáo tổng hợp chung số liệu "
                "của các chương trình: %(names)s, nay cùng thuộc %(where)s."
            )
            % {"names": "; ".join(names), "where": where}
        )
    elif program["origin"]:
        lines.append(
            _("Số liệu được ghi nhận tại %(old)s; từ ngày 01/7/2025 địa bàn này thuộc %(where)s.")
            % {"old": program["origin"], "where": where}
        )
    return "\n".join(lines)


def _achievements(data: dict) -> str:
    totals = data["totals"]
    rollup = data.get("rollup")
    if rollup and not totals["total"] and _finalised_provinces(rollup):
        # A national program without activities of its own: its results are the provinces'.
        return _compiled_achievements(rollup)
    lines = [
        tally_sentence(totals),
        _budget_sentence(totals),
    ]
    coops = data["cooperatives"]
    if coops["total"]:
        lines.append(_("Đã hỗ trợ %(count)s hợp tác xã.") % {"count": num(coops["total"])})
    met = [row for row in data["indicators"] if row["met"]]
    if met:
        lines.append(_("Các chỉ tiêu đã đạt:"))
        lines.extend(_indicator_lines(data, met))
    done = [a for a in data["activities"] if a["status"] == "done"]
    if done:
        done.sort(key=lambda a: -a["planned"])
        lines.append(_("Các hoạt động đã hoàn thành:"))
        lines.extend(_lines(done, lambda a: activity_line(a, with_state=False, origin=mixed(data))))
    return "\n".join(lines)


def _budget_sentence(totals: dict) -> str:
    return _("Kinh phí đã sử dụng %(spent)s/%(planned)s đồng (%(percent)s).") % {
        "spent": num(totals["spent"]),
        "planned": num(totals["planned_budget"]),
        "percent": percent(totals["spent_percent"]),
    }


def _finalised_provinces(rollup: dict) -> int:
    return sum(1 for row in rollup["provinces"] if row["state"] == "finalised")


def _compiled_achievements(rollup: dict) -> str:
    """The opening of a national report's achievements from the finalised provincial reports
    it compiles (their totals, budget and distinct cooperatives)."""
    totals = rollup["totals"]
    lines = [
        _("Tổng hợp từ báo cáo của %(count)s tỉnh, thành phố đã hoàn thành:")
        % {"count": num(_finalised_provinces(rollup))},
        tally_sentence(totals),
        _budget_sentence(totals),
    ]
    if rollup["cooperatives"]["total"]:
        lines.append(
            _("Đã hỗ trợ %(count)s hợp tác xã.") % {"count": num(rollup["cooperatives"]["total"])}
        )
    return "\n".join(lines)


def _limitations(data: dict) -> str:
    lines = []
    lagging = lagging_activities(data)
    if lagging:
        lines.append(
            _("Còn %(count)s hoạt động chậm tiến độ hoặc quá hạn chưa hoàn thành:")
            % {"count": num(len(lagging))}
        )
        lines.extend(
            _lines(lagging, lambda a: activity_line(a, with_state=True, origin=mixed(data)))
        )
    not_started = [
        a for a in data["activities"] if a["status"] == "not_started" and not a["overdue"]
    ]
    if not_started:
        lines.append(_("%(count)s hoạt động chưa triển khai.") % {"count": num(len(not_started))})
    unmet = unmet_indicators(data)
    if unmet:
        lines.append(_("Các chỉ tiêu chưa đạt:"))
        lines.extend(_indicator_lines(data, unmet))
    totals = data["totals"]
    if totals["planned_budget"] and totals["spent"] < totals["planned_budget"]:
        lines.append(
            _("Kinh phí mới sử dụng %(percent)s dự toán.")
            % {"percent": percent(totals["spent_percent"])}
        )
    return "\n".join(lines)


def _directions(data: dict) -> str:
    unfinished = [
        a for a in data["activities"] if a["status"] in ("in_progress", "delayed", "not_started")
    ]
    lines = []
    if data["kind"] in YEARLY:
        lines.append(
            _("Xây dựng và triển khai kế hoạch phối hợp %(period)s.")
            % {"period": next_period_label(data)}
        )
    else:
        lines.append(
            _("Xây dựng chương trình, kế hoạch phối hợp %(period)s trên cơ sở kết quả tổng kết.")
            % {"period": next_period_label(data)}
        )
    if unfinished:
        lines.append(
            _("Tiếp tục thực hiện %(count)s hoạt động chưa hoàn thành %(period)s:")
            % {"count": num(len(unfinished)), "period": period_label(data)}
        )
        lines.extend(_lines([a["title"] for a in unfinished]))
    unmet = unmet_indicators(data)
    if unmet:
        lines.append(_("Tập trung thực hiện các chỉ tiêu chưa đạt:"))
        lines.extend(_lines([indicator_label(row, origin=mixed(data)) for row in unmet]))
    return "\n".join(lines)
