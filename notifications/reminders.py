"""Reminders: a registry the apps above fill, run by `manage.py send_reminders` (cron) or by the
worker (`send_reminders --schedule` queues an hourly run).

An app registers a function `reminder(today) -> int` (how many notifications it sent) with
`@notifications.reminders.register`; each one finds who should be reminded of what today and
calls `notify(..., key=<the occasion>)`: the key makes each reminder go once per person and
occasion however often the job runs. coordination registers the plan deadline and the weekly
digest of overdue activities, reporting the report deadline.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core import mail

log = logging.getLogger("hopluc.reminders")

Reminder = Callable[[datetime.date], int]
_reminders: dict[str, Reminder] = {}

# How often the worker runs the reminders when scheduled (`send_reminders --schedule`).
INTERVAL = datetime.timedelta(hours=1)


def is_due(today: datetime.date, deadline: datetime.date) -> bool:
    """Whether a deadline reminder is due `today`: from REMINDER_DAYS_BEFORE days before
    `deadline` to the deadline itself (after it, the occasion has passed)."""
    window = datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    return deadline - window <= today <= deadline


def register(func: Reminder) -> Reminder:
    """Add `func(today) -> int` to the reminders `send_all` runs."""
    _reminders[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def send_all(today: datetime.date | None = None) -> dict[str, int]:
    """Run every registered reminder for `today` (Vietnam's date by default), then queue again
    the emails whose queue entry was lost; returns the notifications sent per reminder. One
    reminder's failure is logged and does not stop the others."""
    today = today or timezone.localdate()
    sent = {}
    for name, func in sorted(_reminders.items()):
        try:
            sent[name] = func(today)
        except Exception:
            log.exception("Reminder %s failed", name)
            sent[name] = 0
    mail.send_due()
    return sent


@task()
def run_reminders(reschedule: bool = False) -> dict[str, int]:
    """The worker's run of `send_all`; with `reschedule`, queue the next run INTERVAL later
    (unless one is already waiting), so a running worker needs no cron."""
    sent = send_all()
    if reschedule:
        schedule(after=INTERVAL)
    return sent


def schedule(*, after: datetime.timedelta = datetime.timedelta(0)) -> bool:
    """Queue a rescheduling run of the reminders on the worker unless one is already waiting;
    returns whether one was queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=run_reminders.module_path, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    run_reminders.using(run_after=timezone.now() + after).enqueue(reschedule=True)
    return True
