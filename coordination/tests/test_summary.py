"""The dashboards' summary rows (`coordination.models.summary`) always equal a recount from the
raw rows, whichever way the data is written: the services, the API, the admin (including its
bulk delete), reverse many-to-many changes, cascades, bulk loads and the rebuild command.

The recount here is written in Python from every row (the newest update of each activity by the
documented rule, `test_latest_progress.newest_by_rule`), independently of the SQL recount the
summary is kept with."""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory

from cooperatives.models import Cooperative
from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.models import (
    Activity,
    ActivityTally,
    CooperativeReach,
    Indicator,
    ProgressUpdate,
    SupportedCooperative,
    YearlyPlan,
)

from .factories import make_activity, make_progress
from .test_latest_progress import newest_by_rule

pytestmark = pytest.mark.django_db
CLOSED = ("done", "cancelled")


def recount() -> tuple[dict, set, dict]:
    """(tally key → [activities, planned, spent, value, reported], supported triples,
    (program, plan or None) → distinct cooperatives), from every activity, update and link."""
    newest = newest_by_rule()
    latest = ProgressUpdate.objects.in_bulk(list(newest.values()))
    tallies: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, None, 0])
    for activity in Activity.objects.all():
        update = latest.get(newest.get(activity.pk))
        status = update.status if update else "not_started"
        due = None if status in CLOSED else activity.end_date
        key = (activity.plan_id, activity.task_area_id, activity.indicator_id, status, due)
        row = tallies[key]
        row[0] += 1
        row[1] += activity.planned_budget or 0
        row[2] += update.budget_spent if update else 0
        if update and update.actual_value is not None:
            row[3] = (row[3] or Decimal(0)) + update.actual_value
            row[4] += 1
    supported = {
        (link.activity.plan_id, link.activity.task_area_id, link.cooperative_id)
        for link in Activity.cooperatives.through.objects.select_related("activity")
    }
    # The distinct cooperatives of each plan (its year) and of each program (all its years).
    reached: dict[tuple, set] = defaultdict(set)
    for link in Activity.cooperatives.through.objects.select_related("activity__plan"):
        plan = link.activity.plan
        reached[(plan.program_id, plan.pk)].add(link.cooperative_id)
        reached[(plan.program_id, None)].add(link.cooperative_id)
    reach = {key: len(coops) for key, coops in reached.items()}
    return dict(tallies), supported, reach


def summary() -> tuple[dict, set, dict]:
    """The same from the summary rows (rows of one key added up: an indicator's deletion sets
    it to None on several rows, as on the activities)."""
    tallies: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, None, 0])
    for row in ActivityTally.objects.all():
        key = (row.plan_id, row.task_area_id, row.indicator_id, row.status, row.due)
        total = tallies[key]
        total[0] += row.activities
        total[1] += row.planned_budget
        total[2] += row.budget_spent
        if row.actual_value is not None:
            total[3] = (total[3] or Decimal(0)) + row.actual_value
        total[4] += row.reported
    supported = set(
        SupportedCooperative.objects.values_list("plan_id", "task_area_id", "cooperative_id")
    )
    assert len(supported) == SupportedCooperative.objects.count()
    reach = {
        (program, plan): n
        for program, plan, n in CooperativeReach.objects.values_list(
            "program_id", "plan_id", "cooperatives"
        )
    }
    assert len(reach) == CooperativeReach.objects.count()
    return dict(tallies), supported, reach


def assert_summary_is_the_recount():
    assert summary() == recount()


@pytest.fixture
def coops():
    return CooperativeFactory.create_batch(4)


@pytest.fixture
def indicator(world):
    return services.indicator_create(
        program=world.program, code="CS1", name="Số lớp tập huấn", unit="lớp"
    )


def test_writes_through_the_services_keep_the_summary_equal_to_a_recount(world, coops, indicator):
    w = world
    assert_summary_is_the_recount()
    assert ActivityTally.objects.filter(plan=w.plan).exists()  # the fixture's activity

    second = make_activity(
        w.plan,
        lead_agency=w.ethnic_old,
        area_number=3,
        cooperatives=coops[:2],
        indicator=indicator,
        target_value=Decimal(5),
        by=w.staff,
    )
    third = make_activity(w.plan, lead_agency=w.ethnic_old, area_number=3, by=w.staff)
    assert_summary_is_the_recount()

    make_progress(second, author=w.staff, percent=40, budget_spent=2_000_000, actual_value=2)
    assert_summary_is_the_recount()
    last = make_progress(
        second,
        author=w.staff,
        status="done",
        percent=100,
        budget_spent=3_000_000,
        actual_value=4,
        reported_on=second.end_date,
    )
    make_progress(w.activity, author=w.staff, status="delayed", percent=10, budget_spent=500)
    assert_summary_is_the_recount()
    assert ActivityTally.objects.get(plan=w.plan, indicator=indicator).actual_value == 4

    # An edit: another task area, other cooperatives, another end date and budget.
    services.activity_update(
        activity=third,
        by=w.staff,
        expected_version=third.version,
        task_area=w.program.task_areas.get(number=2),
        end_date=datetime.date(2024, 9, 30),
        planned_budget=7_000_000,
        cooperatives=coops[1:3],
    )
    assert_summary_is_the_recount()

    # Deleting the newest update makes the previous one the state again.
    last.delete()
    assert_summary_is_the_recount()

    services.activity_delete(activity=third, by=w.staff)
    assert_summary_is_the_recount()

    # The plan's workflow changes no figure the summary holds; the figures read it live.
    services.plan_submit(plan=w.plan, by=w.staff)
    services.plan_return(plan=w.plan, by=w.manager, reason="Bổ sung kinh phí")
    services.plan_submit(plan=w.plan, by=w.staff)
    services.plan_approve(plan=w.plan, by=w.manager)
    services.plan_approve(plan=w.plan, by=w.alliance_manager)
    assert_summary_is_the_recount()

    # Next year's plan copied from this one: activities and cooperatives, no progress.
    copy = services.plan_copy_from_previous_year(program=w.program, year=2025, by=w.staff)
    assert ActivityTally.objects.filter(plan=copy, status="not_started").exists()
    assert SupportedCooperative.objects.filter(plan=copy).count() == 2
    assert_summary_is_the_recount()

    # A program's cascade (its plans, activities, updates) takes their summary rows along.
    w.other_plan.delete()
    assert not ActivityTally.objects.filter(plan_id=w.other_plan.pk).exists()
    assert_summary_is_the_recount()


def test_writes_around_the_services_keep_the_summary_right(world, coops, indicator):
    """Many-to-many changes outside the services, the admin's saves and bulk delete, an indicator's and a
    cooperative's deletion (done by UPDATE / cascade, without the activity's save)."""
    w = world
    activity = make_activity(w.plan, lead_agency=w.ethnic_old, area_number=3, indicator=indicator)
    make_progress(activity, author=w.staff, actual_value=3, budget_spent=1_000)

    activity.cooperatives.add(coops[0], coops[1])
    w.other_activity.cooperatives.add(coops[0])
    assert_summary_is_the_recount()
    activity.cooperatives.remove(coops[1])
    assert_summary_is_the_recount()
    activity.cooperatives.add(coops[2], coops[3])
    activity.cooperatives.clear()
    activity.cooperatives.add(coops[3])
    assert_summary_is_the_recount()

    # The admin moves an activity to another plan: both plans are recounted.
    plan_2025 = services.plan_create(program=w.program, year=2025)
    activity.plan = plan_2025
    activity.start_date = datetime.date(2025, 3, 1)
    activity.end_date = datetime.date(2025, 6, 30)
    admin_request = RequestFactory().post("/")
    admin_request.user = w.staff.__class__.objects.create_superuser("root", password="x")
    activity_admin = admin.site._registry[Activity]
    activity_admin.save_model(admin_request, activity, form=None, change=True)
    assert_summary_is_the_recount()

    # Deleting a cooperative removes its links (a cascade, no m2m signal) and its summary rows.
    coops[3].delete()
    assert_summary_is_the_recount()
    # So does a queryset delete (the admin's bulk action): one recount for all of them.
    assert CooperativeReach.objects.filter(program=w.other_program).exists()
    Cooperative.objects.filter(pk__in=[coops[0].pk, coops[1].pk]).delete()
    assert_summary_is_the_recount()
    assert not CooperativeReach.objects.filter(program=w.other_program).exists()

    # Deleting an indicator sets the activities' indicator to None by an UPDATE.
    Indicator.objects.filter(pk=indicator.pk).delete()
    assert_summary_is_the_recount()

    # The admin's bulk delete of activities and of progress updates.
    make_progress(w.activity, author=w.staff, status="done", percent=100)
    progress_admin = admin.site._registry[ProgressUpdate]
    progress_admin.delete_queryset(admin_request, ProgressUpdate.objects.filter(activity=activity))
    assert_summary_is_the_recount()
    activity_admin.delete_queryset(admin_request, Activity.objects.filter(pk=w.activity.pk))
    assert not Activity.objects.filter(pk=w.activity.pk).exists()
    assert_summary_is_the_recount()


def test_a_refused_write_leaves_the_summary_as_it_was(world):
    before = summary()
    with pytest.raises(Exception):  # noqa: B017 - the refusal's kind is the service's business
        services.progress_record(
            activity=world.activity,
            reported_on=datetime.date(2024, 5, 1),
            status="done",
            percent=40,  # done needs 100 %
            author=world.staff,
        )
    assert summary() == before


def test_the_bulk_generator_and_the_rebuild_command_leave_the_summary_right():
    call_command("generate_scale_data", scale=0.002, seed=3, stdout=io.StringIO())
    assert ActivityTally.objects.count() > 20
    assert SupportedCooperative.objects.exists()
    assert_summary_is_the_recount()
    # Rows written around the app (SQL by hand): the command puts the summary right again.
    ActivityTally.objects.filter(pk__in=ActivityTally.objects.values("pk")[:10]).delete()
    ActivityTally.objects.update(budget_spent=0)
    SupportedCooperative.objects.all().delete()
    CooperativeReach.objects.update(cooperatives=0)
    output = io.StringIO()
    call_command("rebuild_summary", stdout=output)
    assert f"{YearlyPlan.objects.count()} kế hoạch năm" in output.getvalue()
    assert_summary_is_the_recount()
    # A second generation replaces the first one's rows and their summary.
    call_command("generate_scale_data", scale=0.002, seed=4, replace=True, stdout=io.StringIO())
    assert_summary_is_the_recount()
