"""The rows of the activity list (`views.activity_list`), written in Python.

Through the template language the page's 50 rows were about a third of its CPU (a sampling
profile, docs/benchmarks.md, "Dashboard freshness and the lists"): some twenty variable
look-ups, filters and tags a row, a `{% url %}` and a loop over the status choices. `activity_rows`
writes the same HTML, to the byte, as the loop in `activity_list.html` did (a test renders both,
in Vietnamese and English, with every optional part and HTML in the names), with the same
escaping (`format_html`) and the same Vietnamese msgids, as `coordination.rows` does for a
plan's task area."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from coordination.rows import short_date
from core.formatting import number_formatter


def activity_rows(activities: Iterable, *, status_labels: dict, today: datetime.date) -> SafeString:
    """The `<tr>`s of one page of activities (fetched by `figures.activity_list` with the plan,
    program, province, task area and lead agency joined). `status_labels` maps a progress
    status to its label (the status filter's choices); `today` decides "overdue"."""
    number = number_formatter()
    plan_urls: dict[int, str] = {}
    overdue = format_html(' <span class="badge delayed">{}</span>', _("Quá hạn"))
    not_started = format_html('<span class="badge not_started">{}</span>', _("Chưa cập nhật"))
    rows = []
    for a in activities:
        plan = a.plan
        program = plan.program
        url = plan_urls.get(a.plan_id)
        if url is None:
            url = plan_urls[a.plan_id] = reverse("coordination:plan_detail", args=[a.plan_id])
        province = (
            format_html(" <small>({})</small>", program.province.recorded_label)
            if program.province
            else ""
        )
        if a.latest_status:
            progress = format_html(
                '<span class="badge {}">{}</span> {}%',
                a.latest_status,
                status_labels.get(a.latest_status, ""),
                a.latest_percent,
            )
        else:
            progress = not_started
        rows.append(
            format_html(
                "\n    <tr><td>{year}</td>\n"
                "      <td>{program}{province}</td>\n"
                "      <td>{area}</td>\n"
                '      <td><a href="{url}">{title}</a></td>\n'
                "      <td>{lead}</td>\n"
                "      <td>{end}{overdue}</td>\n"
                "      <td>{progress}</td>\n"
                '      <td class="num">{budget}</td>\n'
                '      <td class="num">{spent}</td></tr>\n  ',
                year=plan.year,
                program=program.title,
                province=province,
                area=a.task_area.number,
                url=url,
                title=a.title,
                lead=a.lead_agency.recorded_label,
                end=short_date(a.end_date),
                overdue=overdue if a.is_overdue(today) else "",
                progress=progress,
                budget=number(a.planned_budget),
                spent=number(a.latest_budget_spent or 0),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's
