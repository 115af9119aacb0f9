"""Sending notifications: `notify` is what the other apps call.

    from notifications import notify

    notify(
        people_of(plan.program.parties.all(), roles=["manager"]),
        NotificationKind.PLAN_SUBMITTED,
        url=plan.get_absolute_url(),
        title=lambda: _("Kế hoạch năm %(year)s chờ phê duyệt") % {"year": plan.year},
        body=lambda: plan.program.title,
    )

`title` and `body` are strings or functions returning one: a function is called in each
person's language (their profile's), so each notification and email reads in it. Each person
gets a notification in the app; those who want this kind by email (the default) also get an
email through the outbox (core.mail), with a link that opens the object after signing in.
Deactivated users get nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import NotificationKind, Profile
from core import mail
from core.people import display_name

from .models import Notification

Text = str | Callable[[], str]


@transaction.atomic
def notify(
    users: Iterable,
    kind: str,
    *,
    url: str,
    title: Text,
    body: Text = "",
    key: str = "",
) -> list[Notification]:
    """Notify each active user of `users` of something at `url` (a path of this site); with a
    `key`, at most once per user and key (a reminder's occasion): a user who already has it is
    skipped. Returns the notifications created."""
    ids = {user.pk for user in users}
    people = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .select_related("profile")
        .order_by("pk")
    )
    if key:
        already = set(
            Notification.objects.filter(user_id__in=ids, key=key).values_list("user_id", flat=True)
        )
        people = [person for person in people if person.pk not in already]
    created = []
    for person in people:
        profile = Profile.of(person)
        with translation.override(profile.language):
            notification = Notification(
                user=person,
                kind=kind,
                url=url,
                key=key,
                title=_text(title)[:300],
                body=_text(body),
            )
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            # Another run created this occasion's notification between our read and write.
            continue
        created.append(notification)
        if profile.wants_email(kind):
            _queue_email(notification, profile)
    return created


def _text(value: Text) -> str:
    return str(value() if callable(value) else value)


def _queue_email(notification: Notification, profile: Profile) -> None:
    person = notification.user
    context = {
        "name": display_name(person),
        "title": notification.title,
        "body": notification.body,
        # Through the notification: it is marked read, and the login page comes first when
        # the person is not signed in on that device.
        "link": mail.absolute_url(notification.get_absolute_url()),
    }
    subject, text, html = mail.render_email(
        "notifications/email/notification", context, language=profile.language
    )
    mail.queue_email(to=person, subject=subject, text=text, html=html)


def notification_open(*, notification: Notification) -> Notification:
    """Mark `notification` read (once: the first opening is kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def notify_job_ended(sender, *, job, **kwargs) -> None:
    """Tell a job's owner that it finished or failed (core.jobs.job_ended's receiver)."""
    if job.owner_id is None:
        return
    succeeded = job.status == job.Status.SUCCEEDED

    def title() -> str:
        if succeeded:
            return _("Đã xong: %(title)s") % {"title": job.display_title}
        return _("Không thành công: %(title)s") % {"title": job.display_title}

    notify(
        [job.owner],
        NotificationKind.JOB,
        url=job.get_absolute_url(),
        title=title,
        body=lambda: job.display_message,
    )
