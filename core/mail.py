"""The outbox: every email the app sends goes through here.

`queue_email` writes an `OutgoingEmail` row and queues its sending on the background worker in
the same transaction, so the action that caused it never waits for the mail server and never
fails because of it. `deliver` sends one email; when the server refuses or cannot be reached the
error is kept on the row (admin: Thư gửi đi) and the send is queued again after a growing delay
(`RETRY_DELAYS`: the first retry within a minute, the last about a day after the first try), so
nothing is lost while the mail server is down for an hour. An email is never sent to a
deactivated user: the recipient is checked when queueing and again just before sending.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import OutgoingEmail

log = logging.getLogger("hopluc.mail")

# Delay before each retry (the n-th failure waits RETRY_DELAYS[n-1]); after the last, the email
# is given up ("Gửi không được") and stays in the admin list with its error. Together about 26
# hours, well beyond a mail server down for an hour or a night.
RETRY_DELAYS = [
    datetime.timedelta(seconds=30),
    datetime.timedelta(minutes=2),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=10),
    datetime.timedelta(minutes=20),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=4),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
]


def render_email(template: str, context: dict, *, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of an email in `language`, from `<template>_subject.txt`,
    `<template>.txt` and `<template>.html`; `site_url` (SITE_URL) is in the context, for
    absolute links."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def absolute_url(path: str) -> str:
    """`path` (from `reverse` or `get_absolute_url`) as a link that works from an email."""
    return f"{settings.SITE_URL}{path}"


def can_receive(user) -> bool:
    """Whether `user` may be sent an email at all: active, with an address."""
    return bool(user is not None and user.is_active and user.email)


@transaction.atomic
def queue_email(
    *, to, subject: str, text: str, html: str = "", kind: str = ""
) -> OutgoingEmail | None:
    """Keep an email for user `to` and queue its sending (None when `to` may not receive one:
    deactivated, or without an address). The queue entry is written in the caller's transaction:
    a rolled-back action sends nothing."""
    if not can_receive(to):
        return None
    email = OutgoingEmail.objects.create(
        recipient=to,
        to_address=to.email,
        kind=kind,
        # Subjects are one line: a newline in one is refused by the mail library.
        subject=" ".join(subject.split())[:300],
        body_text=text,
        body_html=html,
    )
    deliver.enqueue(email_id=email.pk)
    return email


@task()
def deliver(email_id: int) -> str:
    """Send one outgoing email (run by the worker); on failure, note the error and queue the
    next attempt. Returns the email's status.

    The attempt is claimed first (a conditional UPDATE of `attempts`, so two runs for one email
    cannot both send), and the mail server is talked to outside any transaction: a server that
    hangs for EMAIL_TIMEOUT must not hold a database lock meanwhile."""
    email = OutgoingEmail.objects.select_related("recipient").get(pk=email_id)
    if email.status != OutgoingEmail.Status.PENDING:
        return email.status
    if not can_receive(email.recipient):
        OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.PENDING).update(
            status=OutgoingEmail.Status.CANCELLED,
            last_error="Recipient deactivated or without an address.",
        )
        return OutgoingEmail.Status.CANCELLED
    claimed = OutgoingEmail.objects.filter(
        pk=email.pk, status=OutgoingEmail.Status.PENDING, attempts=email.attempts
    ).update(attempts=email.attempts + 1)
    if not claimed:
        return email.status  # another run took this attempt
    email.attempts += 1
    message = EmailMultiAlternatives(
        email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.recipient.email]
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any failure of the server is retried
        log.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, exc)
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        with transaction.atomic():
            if email.attempts > len(RETRY_DELAYS):
                email.status = OutgoingEmail.Status.FAILED
            else:
                email.next_attempt_at = timezone.now() + RETRY_DELAYS[email.attempts - 1]
                deliver.using(run_after=email.next_attempt_at).enqueue(email_id=email.pk)
            email.save(update_fields=["status", "last_error", "next_attempt_at"])
    else:
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.to_address = email.recipient.email
        email.save(update_fields=["status", "sent_at", "to_address"])
    return email.status


def send_due(*, now: datetime.datetime | None = None, older_than=datetime.timedelta(minutes=10)):
    """Queue again the pending emails whose attempt is overdue by `older_than`: their queue
    entry was lost (the worker's queue cleared by hand, a restore). Run with the reminders;
    returns how many were queued."""
    now = now or timezone.now()
    ids = list(OutgoingEmail.objects.due(now=now - older_than).values_list("pk", flat=True))
    for email_id in ids:
        deliver.enqueue(email_id=email_id)
    return len(ids)
