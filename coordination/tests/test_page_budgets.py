"""The work of the load test's coordination pages (issue 18, docs/benchmarks.md "The
coordination pages"): query budgets for the plan page, a task area opened in place, the
activity page and the progress form (GET and POST), and the plan's history read without
every record of a long plan."""

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.history import _entries, _noun, _ordered, _progress_subject, _resolved, _url
from coordination.history import plan_history as read_plan_history
from coordination.models import Activity, NtpProject, ProgressUpdate, YearlyPlan
from coordination.rows import activity_row
from coordination.views import _plan_body_context

from .factories import make_activity, make_progress

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# A page's own queries come on top of what every signed-in page costs (session, user, the
# user's access, the notification bell): the budgets below are today's counts, so that a
# query added back to these pages fails here.
PROGRESS = {
    "reported_on": "10/05/2024",
    "status": "in_progress",
    "percent": "40",
    "actual_value": "",
    "budget_spent": "4.000.000",
    "note": "Đã tổ chức 1 hội nghị",
}


def progress_url(activity) -> str:
    return reverse("coordination:progress_create", args=[activity.pk])


def queries_of(client, method: str, url: str, data=None, **headers) -> list[str]:
    client.get(reverse("coordination:home"))  # the session and the user are warm
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {}, **headers)
    assert response.status_code in (200, 302), response.status_code
    return [query["sql"] for query in captured.captured_queries]


def test_the_progress_form_fetches_its_activity_without_the_lead_agency_and_task_area(
    client, world
):
    client.force_login(world.staff)
    queries = queries_of(client, "get", progress_url(world.activity))
    fetch = [sql for sql in queries if 'FROM "coordination_activity"' in sql]
    assert len(fetch) == 1, fetch
    assert '"agencies_agency"' not in fetch[0]
    assert '"coordination_taskarea"' not in fetch[0]
    assert len(queries) <= 7, queries


def test_a_progress_update_is_recorded_in_a_bounded_number_of_queries(client, world):
    client.force_login(world.staff)
    queries = queries_of(client, "post", progress_url(world.activity), PROGRESS)
    assert ProgressUpdate.objects.filter(activity=world.activity, percent=40).exists()
    # Validated once against the database's check constraints (by the form), not again by
    # the service; the author (the signed-in user) is not looked up again.
    assert sum('AS "_check"' in sql for sql in queries) == 3, queries
    assert not any(sql.startswith('SELECT 1 AS "a" FROM "auth_user"') for sql in queries)
    assert len(queries) <= 29, queries


def test_a_task_area_opened_in_place_does_not_read_the_sign_off(client, world):
    plan = world.plan
    area = world.activity.task_area_id
    client.force_login(world.manager)
    queries = queries_of(
        client,
        "get",
        plan.get_absolute_url(),
        {"noi_dung": area},
        HTTP_HX_TARGET=f"area-{area}",
        **HTMX,
    )
    assert (
        'id="area-'
        in client.get(plan.get_absolute_url(), {"noi_dung": area}, **HTMX).content.decode()
    )
    assert not any('FROM "coordination_planapproval"' in sql for sql in queries), queries
    assert len(queries) <= 13, queries
    # The area's activities and the program's task areas are sorted without joining the
    # program (the models' default orders start with the plan, the program).
    sorted_reads = [
        sql
        for sql in queries
        if sql.startswith(('SELECT "coordination_activity"."id"', 'SELECT "coordination_taskarea"'))
    ]
    assert len(sorted_reads) == 2, sorted_reads
    assert not any('JOIN "coordination_program"' in sql for sql in sorted_reads), sorted_reads


def test_the_plan_page_reads_the_parties_once_for_the_decisions_and_the_buttons(client, world):
    plan = world.plan
    services.plan_submit(plan=plan, by=world.staff)
    client.force_login(world.manager)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="decisions"' in page and "Phê duyệt" in page
    queries = queries_of(client, "get", plan.get_absolute_url())
    parties = [sql for sql in queries if 'JOIN "coordination_program_parties"' in sql]
    assert len(parties) == 1, parties
    assert len(queries) <= 23, queries


def test_the_activity_page_fetches_its_activity_without_the_costly_joins(client, world):
    make_progress(world.activity, author=world.staff)
    client.force_login(world.staff)
    queries = queries_of(client, "get", world.activity.get_absolute_url())
    # The permission-checked fetch joins neither the lead agency's successors (a query of
    # their own) nor reads the cooperatives' every column (the page shows their names).
    fetch = [sql for sql in queries if sql.startswith('SELECT "coordination_activity"."id"')]
    assert len(fetch) == 1 and '"agencies_agency"' not in fetch[0], fetch
    assert not any('"cooperatives_cooperative"."registration_code"' in sql for sql in queries)
    assert len(queries) <= 15, queries
    # Its progress updates are read without the joins the model's ordering by activity adds.
    updates = [sql for sql in queries if sql.startswith('SELECT "coordination_progressupdate"')]
    assert len(updates) == 1 and '"coordination_program"' not in updates[0], updates
    # Nor are its rights (`Policy.allowed`, one row) sorted by the activities' ordering.
    rights = [sql for sql in queries if sql.startswith("SELECT (EXISTS(")]
    assert len(rights) == 1 and 'ORDER BY "coordination_program"' not in rights[0], rights


# --- the plan's history ----------------------------------------------------------------------
def every_record_history(plan: YearlyPlan, limit: int = 30) -> list:
    """The plan's history as it was read before issue 18: every record of the plan, its
    activities and their progress, then the newest `limit` — the reference."""
    live = set(plan.activities.values_list("pk", flat=True))
    activity_records = Activity.history.filter(plan_id=plan.pk)
    progress_records = ProgressUpdate.history.filter(activity_id__in=activity_records.values("id"))
    activity_records = _ordered(activity_records)
    titles = {record.id: record.title for record in activity_records}
    entries = _entries(_ordered(plan.history.all()), lambda r: (_noun(YearlyPlan), ""))
    entries += _entries(
        activity_records,
        lambda r: (_("Hoạt động “%(title)s”") % {"title": r.title}, _url(r.id, live)),
    )
    entries += _entries(
        _ordered(progress_records),
        lambda r: (_progress_subject(r, titles.get(r.activity_id, "")), _url(r.activity_id, live)),
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return _resolved(entries[:limit])


def shown(entries) -> list[tuple]:
    return [
        (e.when, e.user, e.kind, e.subject, e.url, e.reason)
        + tuple((c.label, c.old, c.new) for c in e.changes)
        for e in entries
    ]


def test_the_plan_history_reads_only_the_newest_records_and_says_the_same(world):
    plan = world.plan
    activities = [world.activity]
    for number in range(6):
        activities.append(
            make_activity(
                plan, lead_agency=world.ethnic, title=f"Hoạt động {number}", by=world.staff
            )
        )
    for number, activity in enumerate(activities):
        services.activity_update(
            activity=activity,
            by=world.staff,
            expected_version=Activity.objects.get(pk=activity.pk).version,
            planned_budget=20_000_000 + number,
            budget_source="local",
        )
        make_progress(activity, author=world.staff, percent=10 + number)
    removed = make_activity(plan, lead_agency=world.ethnic, title="Hoạt động bỏ", by=world.staff)
    services.activity_delete(activity=removed, by=world.staff)
    services.plan_submit(plan=plan, by=world.staff)
    for limit in (20, 8, 3):
        expected = every_record_history(plan, limit)
        with CaptureQueriesContext(connection) as captured:
            entries = read_plan_history(plan, limit)
        assert len(entries) == limit
        assert shown(entries) == shown(expected)
        # The newest records of each kind (plan, activities, progress), never all of them.
        newest = [
            q["sql"]
            for q in captured.captured_queries
            if 'FROM "coordination_historical' in q["sql"] and f"LIMIT {limit}" in q["sql"]
        ]
        assert len(newest) == 3, captured.captured_queries
    # What changed is said against the record before: each activity's budget edit.
    budgets = [
        c
        for e in read_plan_history(plan)
        for c in e.changes
        if c.label == "Kinh phí dự kiến (đồng)"
    ]
    assert len(budgets) == len(activities), budgets
    assert {c.old for c in budgets} == {"10.000.000"}


# --- the task area's rows --------------------------------------------------------------------
# The row as `partials/_task_area.html` wrote it through the template language before issue
# 18's third pass: `coordination.rows.activity_row` must write the same bytes.
TEMPLATE_ROW = (
    "{% load i18n vn %}"
    '\n    <tr id="activity-{{ activity.pk }}" class="activity-row">'
    '\n  <td><a href="{{ activity.links.detail }}">{{ activity.title }}</a>'
    "\n    {% with projects=activity.ntp_project_list %}{% if projects %}"
    '<br><small class="projects">{% for project in projects %}<abbr title="{{ project }}">'
    "{{ project.label }}</abbr>{% if not forloop.last %}, {% endif %}{% endfor %}</small>"
    "{% endif %}{% endwith %}"
    "\n    {% if activity.indicator %}<br><small>{% blocktranslate with "
    "code=activity.indicator.code target=activity.target_value|number "
    "unit=activity.indicator.unit %}Chỉ số {{ code }}: chỉ tiêu {{ target }} {{ unit }}"
    "{% endblocktranslate %}</small>{% endif %}"
    "\n    {% with coops=activity.cooperative_list %}{% if coops %}<br><small>"
    '{% translate "HTX:" %} {% for coop in coops %}{{ coop.name }}{% if not forloop.last %}, '
    "{% endif %}{% endfor %}</small>{% endif %}{% endwith %}</td>"
    "\n  <td>{{ activity.lead_agency.recorded_label }}{% for agency in "
    "activity.supporting_agency_list %}<br><small>{{ agency.recorded_label }}</small>"
    "{% endfor %}</td>"
    '\n  <td class="dates">{{ activity.start_date|date:"SHORT_DATE_FORMAT" }} – '
    '{{ activity.end_date|date:"SHORT_DATE_FORMAT" }}</td>'
    '\n  <td class="num">{{ activity.planned_budget|number }}{% if activity.budget_source %}'
    "<br><small>{{ activity.get_budget_source_display }}</small>{% endif %}</td>"
    '\n  <td class="progress-cell">{% if activity.latest_status %}<span class="badge '
    '{{ activity.latest_status }}">{{ activity.latest_status_label }}</span> '
    '{{ activity.latest_percent }}%{% else %}<span class="empty">{% translate "Chưa cập nhật" %}'
    "</span>{% endif %}</td>"
    '\n  <td class="actions">{% if activity.permissions.can_report_progress %}'
    '\n    {% if activity.permissions.can_change %}<a href="{{ activity.links.edit }}" '
    'hx-get="{{ activity.links.edit }}" hx-target="closest tr" hx-swap="outerHTML">'
    '{% translate "Sửa" %}</a>'
    '\n    <a href="{{ activity.links.delete }}" hx-post="{{ activity.links.delete }}" '
    'hx-confirm="{% blocktranslate with title=activity.title %}Xóa hoạt động “{{ title }}”?'
    '{% endblocktranslate %}" hx-target="#plan-body" hx-swap="outerHTML">{% translate "Xóa" %}'
    "</a>{% endif %}"
    '\n    <a href="{{ activity.links.progress }}">{% translate "Cập nhật tiến độ" %}</a>'
    "\n  {% endif %}</td>\n</tr>\n    "
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_task_area_rows_are_the_template_s_rows_to_the_byte(world, rf, language):
    indicator = services.indicator_create(
        program=world.program, code="CS1", name="Số lớp <tập huấn>", unit="lớp & người"
    )
    make_activity(
        world.plan,
        lead_agency=world.ethnic,
        area_number=2,
        title='Hội nghị "Dân tộc" & <HTX>',
        supporting_agencies=[world.alliance, world.ethnic_old],
        ntp_projects=NtpProject.objects.filter(number__in=[3, 5]),
        cooperatives=CooperativeFactory.create_batch(2),
        indicator=indicator,
        target_value=1250,
        budget_source="local",
        by=world.staff,
    )
    make_progress(world.activity, author=world.staff, percent=35)
    reference = engines["django"].from_string(TEMPLATE_ROW)
    rows = 0
    with translation.override(language):
        for user, locked in [
            (world.staff, False),
            (world.central_manager, False),
            (world.staff, True),
        ]:
            if locked:
                services.plan_submit(plan=world.plan, by=world.staff)
            request = rf.get(world.plan.get_absolute_url(), {"noi_dung": "tat-ca"})
            request.user, request.htmx = user, HtmxDetails(request)
            plan = YearlyPlan.objects.select_related("program").get(pk=world.plan.pk)
            for group in _plan_body_context(request, plan)["overview"].groups:
                for activity in group.activities:
                    assert activity_row(activity) == reference.render({"activity": activity})
                    rows += 1
    assert rows == 6


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_of_every_progress_status_are_the_template_s_rows_to_the_byte(world, rf, language):
    """The rows are joined from escaped strings (no `format_html`): each status's badge, a
    done activity's 100 %, a cooperative and a lead agency with HTML in their names."""
    world.ethnic.name = "Ban Dân tộc <tỉnh> & \"Sở\" 'cũ'"
    world.ethnic.save()
    coop = CooperativeFactory(name='HTX <Nông> & "Sạch"')
    statuses = [s for s, _label in ProgressUpdate.Status.choices]
    for number, status in enumerate(statuses):
        activity = make_activity(
            world.plan,
            lead_agency=world.ethnic,
            title=f"Hoạt động {number} <b>",
            cooperatives=[coop],
            by=world.staff,
        )
        make_progress(
            activity,
            author=world.staff,
            status=status,
            percent=100 if status == "done" else 10 * number,
        )
    reference = engines["django"].from_string(TEMPLATE_ROW)
    request = rf.get(world.plan.get_absolute_url(), {"noi_dung": "tat-ca"})
    request.user, request.htmx = world.staff, HtmxDetails(request)
    seen = set()
    with translation.override(language):
        plan = YearlyPlan.objects.select_related("program").get(pk=world.plan.pk)
        for group in _plan_body_context(request, plan)["overview"].groups:
            for activity in group.activities:
                assert activity_row(activity) == reference.render({"activity": activity})
                seen.add(activity.latest_status)
    assert set(statuses) <= seen


def test_a_folded_plan_s_open_area_shows_its_own_cooperatives_and_projects(client, world, settings):
    """Read for the open task area only (`plan_overview`'s prepared reads): each row lists its
    own cooperatives by name and its projects by number, and another area's never leak in."""
    settings.PLAN_FOLD_AT = 0
    zeta, alpha, other = (
        CooperativeFactory(name=name) for name in ("Zeta HTX", "Alpha HTX", "Khác HTX")
    )
    shown = make_activity(
        world.plan,
        lead_agency=world.ethnic,
        area_number=2,
        title="Hoạt động có HTX",
        cooperatives=[zeta, alpha],
        ntp_projects=NtpProject.objects.filter(number__in=[5, 3]),
        by=world.staff,
    )
    make_activity(
        world.plan,
        lead_agency=world.ethnic,
        area_number=1,
        title="Hoạt động nội dung khác",
        cooperatives=[other],
        by=world.staff,
    )
    area = shown.task_area_id
    client.force_login(world.manager)
    html = client.get(
        world.plan.get_absolute_url(),
        {"noi_dung": area},
        HTTP_HX_TARGET=f"area-{area}",
        **HTMX,
    ).content.decode()
    assert "HTX: Alpha HTX, Zeta HTX</small>" in html
    assert ">DA3</abbr>, <abbr" in html and ">DA5</abbr>" in html
    assert "Khác HTX" not in html and "Hoạt động nội dung khác" not in html
