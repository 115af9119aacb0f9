"""The activity rows of a yearly plan's task area, written in Python.

A task area opened in place (the load test's most frequent plan request) shows tens to
hundreds of rows; through the template language each row cost about 0.5 ms of CPU — some
thirty variable look-ups, filters and translation tags — more than the queries that fetch
them (docs/benchmarks.md, "The coordination pages"). `activity_row` writes the same HTML,
to the byte, as the row did in `partials/_task_area.html` (a test compares the two), with the
same escaping (`conditional_escape`'s) and the same Vietnamese msgids.

The row is joined from escaped strings rather than through `format_html`: a row called
`format_html` about ten times, and Django's `escape` checks every argument for lazy text,
which together cost as much as the rest of the row (docs/benchmarks.md, "The plan page,
fifth pass")."""

from functools import lru_cache
from html import escape as _html_escape

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formatting import number


def _escape(value) -> str:
    """`conditional_escape(value)` as a plain string: text marked safe as it is, anything
    else (lazy text and numbers included) as text with `& < > " '` escaped, as Django's
    `escape` does (`html.escape`)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html_escape(str(value))


def short_date(value) -> str:
    """`value|date:"SHORT_DATE_FORMAT"` in the active language ('' for no date)."""
    return _short_date(value, get_language()) if value else ""


@lru_cache(maxsize=4096)
def _short_date(value, language: str) -> str:
    # Formatting a date is the costliest part of a row, and a plan's activities share a few
    # hundred dates: each is formatted once per language (the format depends on nothing else).
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@lru_cache(maxsize=16)
def _words(language: str) -> dict[str, str]:
    """The row's fixed words, escaped, translated once per language."""
    del language  # the cache key: gettext reads the active language
    return {
        "coops": _escape(_("HTX:")),
        "not_reported": _escape(_("Chưa cập nhật")),
        "edit": _escape(_("Sửa")),
        "remove": _escape(_("Xóa")),
        "report": _escape(_("Cập nhật tiến độ")),
    }


def _title_cell(activity, words: dict[str, str]) -> str:
    parts = [f'<a href="{_escape(activity.links["detail"])}">{_escape(activity.title)}</a>\n    ']
    projects = activity.ntp_project_list
    if projects:
        abbrs = ", ".join(f'<abbr title="{_escape(p)}">{_escape(p.label)}</abbr>' for p in projects)
        parts.append(f'<br><small class="projects">{abbrs}</small>')
    parts.append("\n    ")
    indicator = activity.indicator
    if indicator:
        text = _("Chỉ số %(code)s: chỉ tiêu %(target)s %(unit)s") % {
            "code": _escape(indicator.code),
            "target": _escape(number(activity.target_value)),
            "unit": _escape(indicator.unit),
        }
        parts.append(f"<br><small>{text}</small>")
    parts.append("\n    ")
    coops = activity.cooperative_list
    if coops:
        names = ", ".join(_escape(c.name) for c in coops)
        parts.append(f"<br><small>{words['coops']} {names}</small>")
    return "".join(parts)


def _progress_cell(activity, words: dict[str, str]) -> str:
    if activity.latest_status:
        return (
            f'<span class="badge {_escape(activity.latest_status)}">'
            f"{_escape(activity.latest_status_label)}</span> {_escape(activity.latest_percent)}%"
        )
    return f'<span class="empty">{words["not_reported"]}</span>'


def _actions_cell(activity, words: dict[str, str]) -> str:
    if not activity.permissions.can_report_progress:
        return ""
    links = activity.links
    change = ""
    if activity.permissions.can_change:
        edit = _escape(links["edit"])
        delete = _escape(links["delete"])
        confirm = _("Xóa hoạt động “%(title)s”?") % {"title": _escape(activity.title)}
        change = (
            f'<a href="{edit}" hx-get="{edit}" hx-target="closest tr" hx-swap="outerHTML">'
            f"{words['edit']}</a>\n"
            f'    <a href="{delete}" hx-post="{delete}" hx-confirm="{confirm}" '
            f'hx-target="#plan-body" hx-swap="outerHTML">{words["remove"]}</a>'
        )
    return f'\n    {change}\n    <a href="{_escape(links["progress"])}">{words["report"]}</a>\n  '


def activity_row(activity) -> SafeString:
    """One activity's row of a task area's table (`plan_activities` fetched it; the plan page
    set its `permissions` and `links`)."""
    words = _words(get_language())
    supporting = "".join(
        f"<br><small>{_escape(a.recorded_label)}</small>" for a in activity.supporting_agency_list
    )
    source = (
        f"<br><small>{_escape(activity.get_budget_source_display())}</small>"
        if activity.budget_source
        else ""
    )
    return mark_safe(  # noqa: S308 - every value is escaped above, the rest is our own markup
        f'\n    <tr id="activity-{_escape(activity.pk)}" class="activity-row">\n'
        f"  <td>{_title_cell(activity, words)}</td>\n"
        f"  <td>{_escape(activity.lead_agency.recorded_label)}{supporting}</td>\n"
        f'  <td class="dates">{_escape(short_date(activity.start_date))} – '
        f"{_escape(short_date(activity.end_date))}</td>\n"
        f'  <td class="num">{_escape(number(activity.planned_budget))}{source}</td>\n'
        f'  <td class="progress-cell">{_progress_cell(activity, words)}</td>\n'
        f'  <td class="actions">{_actions_cell(activity, words)}</td>\n'
        "</tr>\n    "
    )
