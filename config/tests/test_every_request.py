"""What every signed-in request pays (issue 18, throughput per core): the session, the user,
their access (`access_for`) and the bell — few queries, and never a stale answer.

These reads are prepared (core.prepared: the SQL compiled once per process), not cached: a
membership removed, a successor link undone or a session expired shows at the next request."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.access import access_for
from agencies.models import Agency, Membership
from coordination import services

pytestmark = pytest.mark.django_db


def test_a_removed_membership_is_refused_at_the_next_request(client, world):
    client.force_login(world.staff)
    url = reverse("coordination:program_detail", args=[world.program.pk])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=world.staff).delete()
    assert client.get(url).status_code == 404


def test_an_undone_successor_link_is_refused_at_the_next_request(client, world):
    """The Đồng Nai staff reach the program signed by old Bình Phước through succession only."""
    client.force_login(world.staff)
    url = reverse("coordination:program_detail", args=[world.program.pk])
    assert client.get(url).status_code == 200
    Agency.objects.filter(pk=world.ethnic_old.pk).update(successor=None)
    assert client.get(url).status_code == 404
    Agency.objects.filter(pk=world.ethnic_old.pk).update(successor=world.ethnic)
    assert client.get(url).status_code == 200


def test_an_activity_s_rights_follow_its_rows_and_the_memberships_at_the_next_request(
    client, world
):
    """The rules' compiled SQL is kept per process (core.permissions): it reads the rows at
    every request, and a membership moved to another province's agency is another key."""
    client.force_login(world.alliance_staff)  # the Đồng Nai alliance supports the activity
    progress = reverse("coordination:progress_create", args=[world.activity.pk])
    page = world.activity.get_absolute_url()
    assert client.get(progress).status_code == 200
    world.activity.supporting_agencies.remove(world.alliance)
    assert client.get(progress).status_code == 200  # still a party of the program
    world.program.parties.remove(world.alliance)
    assert client.get(page).status_code == 404  # nothing left to reach it by
    world.activity.supporting_agencies.add(world.alliance)
    assert client.get(progress).status_code == 200
    assert client.get(page).status_code == 200
    Membership.objects.filter(user=world.alliance_staff).update(agency=world.other_alliance)
    assert client.get(page).status_code == 404
    assert client.get(progress).status_code == 404
    other = reverse("coordination:progress_create", args=[world.other_activity.pk])
    assert client.get(other).status_code == 200  # now a party of Quảng Ngãi's program
    Membership.objects.filter(user=world.alliance_staff).update(agency=world.department)
    assert client.get(other).status_code == 404
    assert client.get(progress).status_code == 404  # a Đồng Nai agency, but not in this work


def test_an_expired_or_deleted_session_signs_out(client, world):
    client.force_login(world.manager)
    url = reverse("notifications:list")
    assert client.get(url).status_code == 200
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(1))
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world.manager)
    assert client.get(url).status_code == 200
    Session.objects.filter(pk=client.session.session_key).delete()
    assert client.get(url).status_code == 302


def test_a_made_up_session_key_is_anonymous(client, world):
    client.cookies["sessionid"] = "x" * 32
    assert client.get(reverse("notifications:list")).status_code == 302


def test_a_page_with_the_layout_makes_its_own_queries_and_three_common_ones(client, world):
    """The session, the user, the bell's count: three queries on every page with the top bar;
    `access_for` adds its two (memberships, and the agencies' and provinces' successor links)
    on pages that ask who may see what. The notification list asks two of its own (the page and its count)."""
    services.plan_submit(plan=world.plan, by=world.staff)  # a notification for the manager
    client.force_login(world.manager)
    url = reverse("notifications:list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in queries]
    assert tables == [
        "django_session",
        "auth_user",
        "notifications_notification",
        "notifications_notification",
        "notifications_notification",
    ]


def test_access_for_is_two_queries_once_per_request(world, django_assert_max_num_queries):
    user = type(world.staff).objects.get(pk=world.staff.pk)
    with django_assert_max_num_queries(2):
        access = access_for(user)
    assert world.ethnic_old.pk in access.agency_ids  # through the successor links
    assert world.binh_phuoc.pk in access.province_ids
    with django_assert_max_num_queries(0):
        assert access_for(user) is access
