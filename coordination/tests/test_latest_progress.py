"""The latest-update flag (`ProgressUpdate.is_latest`) that every dashboard and report joins:
exactly the newest update of each activity, whichever way updates come and go."""

import datetime
import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from coordination.models import Activity, ProgressUpdate

from .factories import make_activity, make_progress

pytestmark = pytest.mark.django_db


def newest_by_rule(activity_ids=None) -> dict[int, int]:
    """activity id → id of its newest update under the documented rule (reported_on, then
    created_at, then id), computed in Python from every row."""
    rows = ProgressUpdate.objects.values_list("activity_id", "reported_on", "created_at", "pk")
    if activity_ids is not None:
        rows = rows.filter(activity_id__in=activity_ids)
    newest: dict[int, tuple] = {}
    for activity_id, *order in rows:
        if activity_id not in newest or tuple(order) > newest[activity_id]:
            newest[activity_id] = tuple(order)
    return {activity_id: order[-1] for activity_id, order in newest.items()}


def flagged(activity_ids=None) -> dict[int, int]:
    rows = ProgressUpdate.objects.filter(is_latest=True)
    if activity_ids is not None:
        rows = rows.filter(activity_id__in=activity_ids)
    return dict(rows.values_list("activity_id", "pk"))


def state(activity: Activity) -> tuple:
    row = Activity.objects.with_latest_progress().get(pk=activity.pk)
    return row.latest_status, row.latest_percent, row.latest_budget_spent


def test_the_newest_update_by_report_date_is_the_state_even_when_entered_late(world):
    activity = world.activity
    day = datetime.date(2024, 6, 1)
    make_progress(activity, author=world.staff, percent=30, reported_on=day, budget_spent=1_000)
    assert state(activity) == ("in_progress", 30, 1_000)
    make_progress(
        activity,
        author=world.staff,
        percent=60,
        reported_on=day + datetime.timedelta(days=30),
        budget_spent=5_000,
    )
    # Entered last but reported for an earlier day: not the state.
    make_progress(
        activity,
        author=world.staff,
        status="delayed",
        percent=40,
        reported_on=day + datetime.timedelta(days=10),
        budget_spent=2_000,
    )
    assert state(activity) == ("in_progress", 60, 5_000)
    # Same day as the newest: the one entered later wins.
    make_progress(
        activity,
        author=world.staff,
        status="done",
        percent=100,
        reported_on=day + datetime.timedelta(days=30),
        budget_spent=6_000,
    )
    assert state(activity) == ("done", 100, 6_000)
    assert flagged() == newest_by_rule()


def test_an_activity_without_updates_has_no_state(world):
    assert state(world.activity) == (None, None, None)
    # Never reported = not started, so overdue once its end date has passed.
    assert world.activity in Activity.objects.overdue(datetime.date(2030, 1, 1))


def test_deleting_the_latest_update_makes_the_previous_one_the_state(world):
    activity = world.activity
    first = make_progress(
        activity, author=world.staff, percent=20, reported_on=datetime.date(2024, 3, 1)
    )
    second = make_progress(
        activity, author=world.staff, percent=70, reported_on=datetime.date(2024, 4, 1)
    )
    second.delete()
    assert state(activity) == ("in_progress", 20, 0)
    assert flagged() == {activity.pk: first.pk}
    first.delete()
    assert state(activity) == (None, None, None)
    assert flagged() == {}


def test_the_admin_bulk_delete_keeps_the_flag_right(world, django_user_model):
    """The admin's 'delete selected' deletes a queryset (no `delete()` per row)."""
    activity = world.activity
    kept = make_progress(
        activity, author=world.staff, percent=10, reported_on=datetime.date(2024, 2, 1)
    )
    for month in (3, 4):
        make_progress(
            activity,
            author=world.staff,
            percent=10 * month,
            reported_on=datetime.date(2024, month, 1),
        )
    model_admin = admin.site._registry[ProgressUpdate]
    request = RequestFactory().post("/")
    request.user = django_user_model.objects.create_superuser("root", password="x")
    model_admin.delete_queryset(request, ProgressUpdate.objects.exclude(pk=kept.pk))
    assert flagged() == {activity.pk: kept.pk}


def test_an_update_edited_in_the_admin_to_an_older_date_gives_up_the_state(world):
    activity = world.activity
    older = make_progress(
        activity, author=world.staff, percent=20, reported_on=datetime.date(2024, 3, 1)
    )
    newer = make_progress(
        activity, author=world.staff, percent=70, reported_on=datetime.date(2024, 4, 1)
    )
    newer.reported_on = datetime.date(2024, 2, 1)
    newer.save()
    assert flagged() == {activity.pk: older.pk}


def test_two_latest_updates_of_one_activity_are_refused_by_the_database(world):
    make_progress(world.activity, author=world.staff, reported_on=datetime.date(2024, 3, 1))
    make_progress(world.activity, author=world.staff, reported_on=datetime.date(2024, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.filter(activity=world.activity).update(is_latest=True)


def test_each_activity_has_its_own_latest_update(world):
    extra = make_activity(world.plan, lead_agency=world.ethnic_old)
    for activity in (world.activity, world.other_activity, extra):
        for month in (5, 2, 7):
            make_progress(
                activity,
                author=world.staff,
                percent=month * 10,
                reported_on=datetime.date(2024, month, 1),
            )
    assert flagged() == newest_by_rule()
    assert len(flagged()) == 3
    assert {state(a)[1] for a in (world.activity, world.other_activity, extra)} == {70}


def test_the_bulk_loaded_national_set_has_its_latest_updates_flagged():
    call_command("generate_scale_data", scale=0.002, seed=3, stdout=io.StringIO())
    expected = newest_by_rule()
    assert len(expected) > 50
    assert flagged() == expected


def test_deleting_an_activity_does_no_flag_work_per_update(world, django_assert_max_num_queries):
    for month in range(1, 9):
        make_progress(world.activity, author=world.staff, reported_on=datetime.date(2024, month, 1))
    # The cascade's own deletes and history rows; none of the two UPDATEs per update.
    with django_assert_max_num_queries(30) as queries:
        world.activity.delete()
    flag_updates = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "is_latest" in q["sql"]
    ]
    assert flag_updates == []
    assert not ProgressUpdate.objects.filter(activity_id=world.activity.pk).exists()
