"""The bell and its count, the list, opening a notification, someone else's notification."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import NotificationKind
from coordination import services
from notifications import notify
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def bell(page: str) -> str:
    start = page.index('class="bell"')
    return page[start : page.index("</a>", start)]


def test_the_bell_counts_unread_notifications_and_opening_one_marks_it_read(client, world):
    services.plan_submit(plan=world.plan, by=world.staff)
    client.force_login(world.manager)
    page = client.get(reverse("coordination:home")).content.decode()
    assert "data-unread>1</span>" in bell(page)

    listing = client.get(reverse("notifications:list")).content.decode()
    notification = Notification.objects.get(user=world.manager)
    assert notification.get_absolute_url() in listing
    assert "Kế hoạch năm 2024 chờ phê duyệt" in listing

    response = client.get(notification.get_absolute_url())
    assert response["Location"] == world.plan.get_absolute_url()
    notification.refresh_from_db()
    assert notification.is_read
    page = client.get(reverse("coordination:home")).content.decode()
    assert "data-unread" not in bell(page)


def test_the_count_is_one_query_and_only_when_the_top_bar_shows_it(client, world):
    client.force_login(world.manager)
    client.get(reverse("notifications:list"))  # the session and the like, once
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("notifications:list"))
    unread = [q["sql"] for q in queries if "COUNT" in q["sql"] and "read_at" in q["sql"]]
    assert len(unread) == 1
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("agencies:profile"))
    # The bell's count is the page's only query about notifications.
    assert sum("notifications_notification" in q["sql"] for q in queries) == 1


def test_someone_elses_notification_is_not_found_and_stays_unread(client, world):
    (notification,) = notify(
        [world.manager], NotificationKind.JOB, url="/cong-viec/", title="Đã xong: Xuất"
    )
    client.force_login(world.other_manager)
    assert client.get(notification.get_absolute_url()).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read(client, world):
    for title in ("Một", "Hai"):
        notify([world.manager], NotificationKind.JOB, url="/cong-viec/", title=title)
    notify([world.staff], NotificationKind.JOB, url="/cong-viec/", title="Ba")
    client.force_login(world.manager)
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(user=world.manager).unread().exists()
    assert Notification.objects.filter(user=world.staff).unread().count() == 1


def test_a_notification_never_leads_off_site(client, world):
    (notification,) = notify(
        [world.manager], NotificationKind.JOB, url="https://evil.example/", title="Lạ"
    )
    client.force_login(world.manager)
    assert client.get(notification.get_absolute_url())["Location"] == reverse("notifications:list")
