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
