"""The activity rows of a yearly plan's task area, written in Python.

A task area opened in place (the load test's most frequent plan request) shows tens to
hundreds of rows; through the template language each row cost about 0.5 ms of CPU — some
thirty variable look-ups, filters and translation tags — more than the queries that fetch
them (docs/benchmarks.md, "The coordination pages"). `activity_row` writes the same HTML,
to the byte, as the row did in `partials/_task_area.html` (a test compares the two), with the
same escaping (`format_html`) and the same Vietnamese msgids."""

from functools import lru_cache

from django.utils import formats
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formatting import number


def short_date(value) -> str:
    """`value|date:"SHORT_DATE_FORMAT"` in the active language ('' for no date)."""
    return _short_date(value, get_language()) if value else ""


@lru_cache(maxsize=4096)
def _short_date(value, language: str) -> str:
    # Formatting a date is the costliest part of a row, and a plan's activities share a few
    # hundred dates: each is formatted once per language (the format depends on nothing else).
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _title_cell(activity) -> SafeString:
    parts = [format_html('<a href="{}">{}</a>\n    ', activity.links["detail"], activity.title)]
    projects = activity.ntp_project_list
    if projects:
        abbrs = format_html_join(
            ", ", '<abbr title="{}">{}</abbr>', ((p, p.label) for p in projects)
        )
        parts.append(format_html('<br><small class="projects">{}</small>', abbrs))
    parts.append("\n    ")
    indicator = activity.indicator
    if indicator:
        text = _("Chỉ số %(code)s: chỉ tiêu %(target)s %(unit)s") % {
            "code": conditional_escape(indicator.code),
            "target": conditional_escape(number(activity.target_value)),
            "unit": conditional_escape(indicator.unit),
        }
        parts.append(format_html("<br><small>{}</small>", mark_safe(text)))  # noqa: S308 - escaped above
    parts.append("\n    ")
    coops = activity.cooperative_list
    if coops:
        names = format_html_join(", ", "{}", ((c.name,) for c in coops))
        parts.append(format_html("<br><small>{} {}</small>", _("HTX:"), names))
    return mark_safe("".join(parts))  # noqa: S308 - each part is escaped or our own markup


def _progress_cell(activity) -> SafeString:
    if activity.latest_status:
        return format_html(
            '<span class="badge {}">{}</span> {}%',
            activity.latest_status,
            activity.latest_status_label,
            activity.latest_percent,
        )
    return format_html('<span class="empty">{}</span>', _("Chưa cập nhật"))


def _actions_cell(activity) -> SafeString:
    if not activity.permissions.can_report_progress:
        return mark_safe("")
    links = activity.links
    change = ""
    if activity.permissions.can_change:
        change = format_html(
            '<a href="{edit}" hx-get="{edit}" hx-target="closest tr" hx-swap="outerHTML">{label}'
            "</a>\n"
            '    <a href="{delete}" hx-post="{delete}" hx-confirm="{confirm}" '
            'hx-target="#plan-body" hx-swap="outerHTML">{remove}</a>',
            edit=links["edit"],
            label=_("Sửa"),
            delete=links["delete"],
            confirm=mark_safe(  # noqa: S308 - the title is escaped
                _("Xóa hoạt động “%(title)s”?") % {"title": conditional_escape(activity.title)}
            ),
            remove=_("Xóa"),
        )
    return format_html(
        '\n    {}\n    <a href="{}">{}</a>\n  ', change, links["progress"], _("Cập nhật tiến độ")
    )


def activity_row(activity) -> SafeString:
    """One activity's row of a task area's table (`plan_activities` fetched it; the plan page
    set its `permissions` and `links`)."""
    supporting = format_html_join(
        "", "<br><small>{}</small>", ((a.recorded_label,) for a in activity.supporting_agency_list)
    )
    source = (
        format_html("<br><small>{}</small>", activity.get_budget_source_display())
        if activity.budget_source
        else ""
    )
    return format_html(
        '\n    <tr id="activity-{pk}" class="activity-row">\n'
        "  <td>{title}</td>\n"
        "  <td>{lead}{supporting}</td>\n"
        '  <td class="dates">{start} – {end}</td>\n'
        '  <td class="num">{budget}{source}</td>\n'
        '  <td class="progress-cell">{progress}</td>\n'
        '  <td class="actions">{actions}</td>\n'
        "</tr>\n    ",
        pk=activity.pk,
        title=_title_cell(activity),
        lead=activity.lead_agency.recorded_label,
        supporting=supporting,
        start=short_date(activity.start_date),
        end=short_date(activity.end_date),
        budget=number(activity.planned_budget),
        source=source,
        progress=_progress_cell(activity),
        actions=_actions_cell(activity),
    )
