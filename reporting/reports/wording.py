"""How the snapshot's facts are put in words in a report: the period, the subject line, a tally
as a sentence, an activity or an indicator on one line. Shared by the outline, the prefilled
narrative and the appendix, so they name things alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from coordination.models import ProgressUpdate

from .formatting import day, num, percent
from .snapshot import ANNUAL, HALF

STATUS_LABELS = dict(ProgressUpdate.Status.choices)


def period_label(data: dict) -> str:
    """'năm 2024' / '6 tháng đầu năm 2026' / 'giai đoạn 2021–2025'."""
    period = data["period"]
    if data["kind"] == HALF:
        return _("6 tháng đầu năm %(year)s") % {"year": period["year"]}
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
    if data["kind"] == HALF:
        text = _("Sơ kết 6 tháng đầu năm %(year)s thực hiện %(title)s") % {
            "year": data["period"]["year"],
            "title": program["title"],
        }
    elif data["kind"] == ANNUAL:
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


def window_sentence(data: dict) -> str:
    """'Số liệu báo cáo từ 15/12/2025 đến 14/12/2026.' for a sơ kết (its Nghị định 09 window);
    '' for a tổng kết and for snapshots taken before windows existed."""
    period = data["period"]
    if not period.get("window_start"):
        return ""
    return _("Số liệu báo cáo từ %(start)s đến %(end)s.") % {
        "start": day(period["window_start"]),
        "end": day(period["window_end"]),
    }


def program_reference(program: dict) -> str:
    """'Đề án … (số 2993/QĐ-UBND)'."""
    if program["number"]:
        return f"{program['title']} ({_('số')} {program['number']})"
    return program["title"]


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


def indicator_label(row: dict, *, origin: bool = False) -> str:
    text = f"{row['code']}. {row['name']}"
    return f"{text} — {row['origin']}" if origin and row["origin"] else text
