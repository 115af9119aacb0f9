"""Prepared queries (core.prepared): the ORM's SQL compiled once, run with each request's values,
and the rows always those the ORM would read now."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, Membership
from agencies.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from core.prepared import PreparedQuery
from core.succession import successor_links
from core.tests.helpers import instance_snapshot

pytestmark = pytest.mark.django_db


def _memberships(user_id):
    return (
        Membership.objects.filter(user_id=user_id)
        .order_by("agency_id")
        .values_list("agency_id", "role", "agency__active")
    )


def test_rows_are_the_orms_for_each_value_and_read_as_they_are_now():
    prepared = PreparedQuery(_memberships, int)
    first, second = UserFactory(), UserFactory()
    agency = AgencyFactory()
    MembershipFactory(user=first, agency=agency, role="manager")
    assert prepared(first.pk) == list(_memberships(first.pk)) == [(agency.pk, "manager", True)]
    assert prepared(second.pk) == []
    # Nothing but the SQL is kept: a membership added, or an agency closed, shows at once.
    MembershipFactory(user=second, agency=agency, role="staff")
    Agency.objects.filter(pk=agency.pk).update(active=False)
    assert prepared(second.pk) == [(agency.pk, "staff", False)]
    assert prepared(first.pk) == list(_memberships(first.pk))


def test_values_go_through_the_orms_converters():
    """Dates come back as dates on SQLite too (it stores text)."""
    user = UserFactory()
    prepared = PreparedQuery(
        lambda pk: get_user_model().objects.filter(pk=pk).values_list("date_joined", "is_active"),
        int,
    )
    [(joined, active)] = prepared(user.pk)
    assert isinstance(joined, datetime.datetime) and joined == user.date_joined
    assert active is True


def test_a_string_value_and_a_query_without_values():
    user = UserFactory(username="chị.lan")
    by_name = PreparedQuery(
        lambda name: get_user_model().objects.filter(username=name).values_list("pk"), str
    )
    assert by_name("chị.lan") == [(user.pk,)]
    assert by_name("anh.nam") == []
    successor = AgencyFactory()
    old = AgencyFactory(successor=successor, active=False)
    links = successor_links(Agency)
    assert links[successor.pk] == [old.pk]
    assert sorted((pk, s) for s, pks in links.items() for pk in pks) == sorted(
        Agency.objects.exclude(successor=None).values_list("pk", "successor_id")
    )


def test_each_call_is_one_query_the_test_tools_count():
    prepared = PreparedQuery(_memberships, int)
    prepared(1)
    with CaptureQueriesContext(connection) as queries:
        prepared(2)
    assert len(queries) == 1


def test_wrong_values_and_builders_that_cannot_be_prepared_are_refused():
    prepared = PreparedQuery(_memberships, int)
    with pytest.raises(TypeError):
        prepared("1")
    with pytest.raises(TypeError):
        prepared(True)  # a bool is no id
    with pytest.raises(TypeError):
        prepared()
    ignores_its_value = PreparedQuery(lambda pk: Membership.objects.values_list("pk"), int)
    with pytest.raises(ImproperlyConfigured, match="does not reach the SQL"):
        ignores_its_value(1)
    changes_its_value = PreparedQuery(
        lambda name: get_user_model().objects.filter(username__contains=name).values_list("pk"),
        str,
    )
    with pytest.raises(ImproperlyConfigured, match="changed on its way"):
        changes_its_value("lan")
    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(_memberships, float)


# --- PreparedModels: model instances -----------------------------------------------------------


def _activities(plan, area):
    from coordination.models import Activity

    return (
        Activity.objects.filter(plan_id=plan, task_area_id=area)
        .with_latest_progress()
        .select_related("task_area", "lead_agency__successor__successor", "indicator")
        .order_by("start_date", "pk")
    )


def test_model_instances_are_the_querysets(world):
    """Two levels of select_related (an agency, its successor, theirs: None), a nullable FK
    (no indicator), annotations (the latest progress, None when never reported), dates and
    decimals through the ORM's converters."""
    from decimal import Decimal

    from coordination.models import Indicator
    from coordination.tests.factories import make_activity, make_progress
    from core.prepared import PreparedModels

    plan, area = world.plan, world.activity.task_area
    indicator = Indicator.objects.create(
        program=plan.program, code="CS1", name="Số lớp", unit="lớp", baseline=Decimal("2.50")
    )
    measured = make_activity(
        plan, lead_agency=world.ethnic, indicator=indicator, target_value=Decimal("12.25")
    )
    make_progress(measured, author=world.admin, percent=40, actual_value="3.75")
    prepared = PreparedModels(_activities, int, int)

    rows = prepared(plan.pk, area.pk)
    expected = list(_activities(plan.pk, area.pk))
    assert [instance_snapshot(row) for row in rows] == [instance_snapshot(row) for row in expected]
    assert len(rows) == 2
    old, new = rows
    assert old.lead_agency.successor == world.ethnic and old.lead_agency.successor.successor is None
    assert old.indicator is None and old.latest_status is None
    assert new.indicator.baseline == Decimal("2.50") and new.target_value == Decimal("12.25")
    assert new.latest_actual_value == Decimal("3.75") and new.latest_percent == 40
    assert isinstance(new.start_date, datetime.date) and not new._state.adding
    # The instances work as read ones: saved in place, not inserted again.
    new.title = "Lớp tập huấn"
    new.save(update_fields=["title"])
    assert prepared(plan.pk, area.pk)[1].title == "Lớp tập huấn"
    assert prepared(world.other_plan.pk, area.pk) == []
    assert [
        instance_snapshot(row)
        for row in prepared(world.other_plan.pk, world.other_activity.task_area_id)
    ] == [
        instance_snapshot(row)
        for row in _activities(world.other_plan.pk, world.other_activity.task_area_id)
    ]


def test_deferred_fields_and_a_string_value(world):
    from core.prepared import PreparedModels

    def agencies(name):
        return Agency.objects.with_successors(names_only=True).filter(name=name)

    prepared = PreparedModels(agencies, str)
    name = world.ethnic_old.name
    [agency] = prepared(name)
    assert instance_snapshot(agency) == instance_snapshot(agencies(name).get())
    assert "province_id" in agency.get_deferred_fields()
    assert agency.recorded_label == world.ethnic_old.recorded_label


def test_each_model_read_is_one_query(world):
    from core.prepared import PreparedModels

    prepared = PreparedModels(_activities, int, int)
    prepared(world.plan.pk, world.activity.task_area_id)
    with CaptureQueriesContext(connection) as queries:
        rows = prepared(world.plan.pk, world.activity.task_area_id)
        assert rows[0].lead_agency.successor.name  # select_related: no query
    assert len(queries) == 1


def test_reads_that_are_not_plain_model_reads_are_refused(world):
    from core.prepared import PreparedModels

    with pytest.raises(TypeError):
        PreparedModels(_activities, int, int)(world.plan.pk, str(world.activity.task_area_id))
    with pytest.raises(TypeError):
        PreparedModels(_activities, int, int)(world.plan.pk)
    for build in [
        lambda pk: Agency.objects.filter(pk=pk).values("name"),
        lambda pk: Agency.objects.filter(pk=pk).values_list("name"),
        lambda pk: Agency.objects.filter(pk=pk).prefetch_related("memberships"),
        lambda pk: Agency.objects.get(pk=world.ethnic.pk).predecessors.filter(pk=pk),
        lambda pk: Agency.objects.filter(pk=pk).union(Agency.objects.filter(pk=pk)),
    ]:
        with pytest.raises(ImproperlyConfigured):
            PreparedModels(build, int)(1)


# Committed rows, for the other thread to see; the seeded rows put back for the next tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_connection_compiles_again(agencies_world):
    """Django's connections are per thread: another thread's connection compiles its own SQL
    (its converters and quoting are that connection's), and reads the same instances."""
    import threading

    from django.db import connections

    from core.prepared import PreparedModels

    compiled = []

    class Counting(PreparedModels):
        def _compile(self, connection):
            compiled.append(connection)
            return super()._compile(connection)

    def agencies(name):
        return Agency.objects.select_related("successor__successor").filter(name=name)

    prepared = Counting(agencies, str)
    name = agencies_world.ethnic_old.name
    here = [instance_snapshot(agency) for agency in prepared(name)]
    prepared(name)
    there = []

    def read():
        try:
            there.extend(instance_snapshot(agency) for agency in prepared(name))
            prepared(name)
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert len(compiled) == 2 and compiled[0] is not compiled[1]
    assert there == here == [instance_snapshot(agencies(name).get())]
