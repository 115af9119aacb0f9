"""The outbox (core.mail): retries with backoff, giving up, catching up lost queue entries, the
admin list. Sending through the real worker is tested in notifications/tests/test_email.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agencies.tests.factories import UserFactory
from core import mail
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def down(smtp_server):
    """The SMTP settings point at a server that is not running."""
    smtp_server.stop()
    return smtp_server


def queued(user=None) -> OutgoingEmail:
    user = user or UserFactory(username="lan")
    return mail.queue_email(to=user, subject="Thử\nhai dòng", text="Nội dung", html="<p>x</p>")


def test_each_failure_waits_longer_and_the_last_gives_up(down):
    email = queued()
    assert email.subject == "Thử hai dòng"
    waits = []
    for _ in range(len(mail.RETRY_DELAYS)):
        before = timezone.now()
        assert mail.deliver.call(email_id=email.pk) == OutgoingEmail.Status.PENDING
        email.refresh_from_db()
        waits.append(email.next_attempt_at - before)
    assert waits[0] <= datetime.timedelta(minutes=1)
    assert waits == sorted(waits)
    # Long enough for a server down for an hour, and a night.
    assert sum(mail.RETRY_DELAYS, datetime.timedelta()) > datetime.timedelta(hours=12)
    assert mail.deliver.call(email_id=email.pk) == OutgoingEmail.Status.FAILED
    email.refresh_from_db()
    assert email.attempts == len(mail.RETRY_DELAYS) + 1
    assert email.last_error


def test_nothing_is_queued_for_a_deactivated_user_or_one_without_an_address():
    assert (
        mail.queue_email(to=UserFactory(username="x", is_active=False), subject="a", text="b")
        is None
    )
    assert mail.queue_email(to=UserFactory(username="y", email=""), subject="a", text="b") is None
    assert not OutgoingEmail.objects.exists()


def test_a_sent_email_is_not_sent_again(smtp_server):
    email = queued()
    assert mail.deliver.call(email_id=email.pk) == OutgoingEmail.Status.SENT
    assert mail.deliver.call(email_id=email.pk) == OutgoingEmail.Status.SENT
    assert len(smtp_server.inbox.received) == 1


def test_an_email_whose_queue_entry_was_lost_is_queued_again():
    email = queued()
    DBTaskResult.objects.all().delete()
    assert mail.send_due() == 0  # not yet overdue
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert mail.send_due(now=later) == 1
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__email_id=email.pk).exists()


def test_admins_see_the_status_attempts_and_last_error(client, down):
    email = queued()
    mail.deliver.call(email_id=email.pk)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:core_outgoingemail_changelist")).content.decode()
    assert "Thử hai dòng" in page and "Đang chờ gửi" in page
    email.refresh_from_db()
    detail = client.get(reverse("admin:core_outgoingemail_change", args=[email.pk]))
    assert email.last_error.split(":")[0] in detail.content.decode()
