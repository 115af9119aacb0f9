"""Notification emails through a real SMTP server (aiosmtpd in the test) and the real worker:
who receives what, the link that opens the object after login, the mail server down for a
while, deactivated users, the recipient's language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agencies.models import NotificationKind, Profile
from agencies.tests.factories import PASSWORD
from coordination import services
from core.models import OutgoingEmail
from core.tests.helpers import run_worker
from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def submit(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("coordination:plan_submit", args=[world.plan.pk]))
    assert response.status_code == 302
    client.logout()


def test_a_submitted_plan_emails_the_managers_of_each_party_with_a_link_that_opens_it(
    client, world, smtp_server
):
    submit(client, world)
    run_worker()

    received = smtp_server.inbox.received
    # Managers of both parties (the Đồng Nai Sở carries on the old Ban Dân tộc Bình Phước).
    assert sorted(r.recipients[0] for r in received) == [
        "alliance_manager@example.vn",
        "manager@example.vn",
    ]
    mail = smtp_server.inbox.to("manager@example.vn")[0]
    assert "Kế hoạch năm 2024 chờ phê duyệt" in mail.subject
    assert "Chương trình phối hợp Bình Phước" in mail.subject
    notification = Notification.objects.get(user=world.manager)
    link = f"http://testserver{notification.get_absolute_url()}"
    assert link in mail.part("plain")
    assert f'href="{link}"' in mail.part("html")

    # Not signed in: the link goes to the login page first, then to the plan.
    path = notification.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    response = client.post(
        reverse("login"), {"username": "manager", "password": PASSWORD, "next": path}
    )
    assert response["Location"] == path
    response = client.get(path)
    assert response["Location"] == world.plan.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200
    notification.refresh_from_db()
    assert notification.is_read


def test_with_the_mail_server_down_the_action_succeeds_and_the_email_goes_once_it_is_back(
    client, world, smtp_server
):
    smtp_server.stop()
    submit(client, world)
    world.plan.refresh_from_db()
    assert world.plan.status == "submitted"
    assert Notification.objects.filter(user=world.manager).count() == 1

    run_worker()
    email = OutgoingEmail.objects.get(recipient=world.manager)
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1
    assert "Error" in email.last_error  # e.g. ConnectionRefusedError: …, for the admin list
    # The first retry comes within a minute.
    assert email.next_attempt_at <= timezone.now() + datetime.timedelta(minutes=1)
    assert smtp_server.inbox.received == []

    # An hour later the server is back: the retries waiting for it are due.
    smtp_server.start()
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - datetime.timedelta(seconds=1)
    )
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert len(smtp_server.inbox.to("manager@example.vn")) == 1


def test_no_email_to_a_deactivated_user_nor_to_one_who_chose_in_app_only(
    client, world, smtp_server
):
    world.alliance_manager.is_active = False
    world.alliance_manager.save()
    Profile.objects.create(user=world.manager, in_app_only=[NotificationKind.PLAN_SUBMITTED])
    submit(client, world)
    run_worker()
    assert smtp_server.inbox.received == []
    # The one who chose in-app only still sees it in the app; the deactivated one gets nothing.
    assert Notification.objects.filter(user=world.manager).count() == 1
    assert not Notification.objects.filter(user=world.alliance_manager).exists()


def test_a_user_deactivated_after_the_email_was_queued_does_not_receive_it(world, smtp_server):
    services.plan_submit(plan=world.plan, by=world.staff)
    world.manager.is_active = False
    world.manager.save()
    run_worker()
    assert smtp_server.inbox.to("manager@example.vn") == []
    email = OutgoingEmail.objects.get(recipient=world.manager)
    assert email.status == OutgoingEmail.Status.CANCELLED


def test_a_returned_plan_tells_the_staff_of_every_party_with_the_reason(world, smtp_server):
    services.plan_submit(plan=world.plan, by=world.staff)
    services.plan_return(plan=world.plan, by=world.manager, reason="Thiếu kinh phí")
    run_worker()
    staff_mail = [r for r in smtp_server.inbox.to("staff@example.vn") if "trả lại" in r.subject]
    assert len(staff_mail) == 1
    assert "Lý do: Thiếu kinh phí" in staff_mail[0].part("plain")
    # Managers are not told of the return; the staff of both parties are.
    assert not [r for r in smtp_server.inbox.to("manager@example.vn") if "trả lại" in r.subject]
    assert len(smtp_server.inbox.to("alliance_staff@example.vn")) == 1


def test_approval_by_every_party_tells_the_staff_once(world, smtp_server):
    services.plan_submit(plan=world.plan, by=world.staff)
    services.plan_approve(plan=world.plan, by=world.manager)
    assert not Notification.objects.filter(kind=NotificationKind.PLAN_DECIDED).exists()
    services.plan_approve(plan=world.plan, by=world.alliance_manager)
    services.plan_reopen(plan=world.plan, by=world.manager, reason="Bổ sung hoạt động")
    run_worker()
    subjects = [r.subject for r in smtp_server.inbox.to("staff@example.vn")]
    assert sum("đã được phê duyệt" in s for s in subjects) == 1
    assert sum("được mở lại" in s for s in subjects) == 1
