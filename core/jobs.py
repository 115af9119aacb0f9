"""Background jobs with a progress bar: the API every app uses for long work.

Large imports and report generation must not run inside a web request. They run in the
background worker of Django's tasks framework (the `django-tasks` backport with its database
backend, so no extra server: `manage.py db_worker`), and a `core.models.Job` row tells the page
how far they are.

Write the work as a function that takes the job first and keyword arguments that are plain JSON
(ids, not model instances), decorate it with `job_task`, and start it from a view with `start`::

    from core import jobs

    @jobs.job_task()
    def export_programs(job, *, user_id: int) -> dict:
        programs = ...
        jobs.report_progress(job, done=0, total=len(programs), message=gettext_noop("Đang xuất…"))
        for done, program in enumerate(programs, 1):
            ...
            jobs.report_progress(job, done=done)
        jobs.attach_file(job, "chuong-trinh.xlsx", data)
        jobs.finish_message(job, gettext_noop("Đã xuất %(n)s chương trình."), {"n": len(programs)})
        return {"programs": len(programs)}          # kept as job.summary

    job = jobs.start(export_programs, owner=request.user, title=_("Xuất danh sách"), user_id=…)
    return redirect(job)                            # or include the progress partial

`report_progress` writes at once (autocommit), so call it outside `transaction.atomic`: an
all-or-nothing import reports while it reads and checks the file, then writes its rows in one
transaction (see docs/architecture.md). Raise `JobError("…")` with a Vietnamese sentence to fail
with a message the user should read; any other exception fails the job with a generic message
and the traceback kept for administrators in `Job.error`.

Messages, like titles, are stored as the Vietnamese source text (`gettext_noop` or
`gettext_lazy`, never an already translated `_()`) with their %(name)s values apart, and
translated when shown (`Job.display_message`): a job run by the worker reads in the language of
whoever looks at it.
"""

from __future__ import annotations

import datetime
import functools
import logging
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, override
from django_tasks import task
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Job
from .storage import DiskFull, store_file

# Progress is written at most this often (seconds), so a loop over 50,000 rows does not
# become 50,000 UPDATEs; the last step (done == total) is always written.
PROGRESS_INTERVAL = 0.5

_job_tasks: set[str] = set()

# Sent with `job` once a job has succeeded or failed (not when interrupted by a stopping worker),
# so an app above core can tell its owner (notifications does) without core importing it.
job_ended = Signal()

INTERRUPTED = gettext_lazy(
    "Công việc bị gián đoạn vì máy chạy nền đã dừng giữa chừng. Vui lòng chạy lại; nếu vẫn lỗi, "
    "báo quản trị viên."
)


class JobError(Exception):
    """A failure whose message (the Vietnamese source text, for the user) is shown translated,
    with `values` for its %(name)s placeholders."""

    def __init__(self, message: str, values: dict | None = None):
        super().__init__(message)
        self.message = message
        self.values = values or {}


class JobRefused(Exception):
    """A job not started because its owner already has JOBS_MAX_RUNNING_PER_USER jobs waiting
    or running; the message (Vietnamese) says so. `core.middleware.JobRefusedMiddleware` turns
    it into that message on the user's job list, so the views that start jobs need not."""


def job_task(*, queue_name: str = "default", priority: int = 0) -> Callable[[Callable], Task]:
    """Turn `func(job, **kwargs) -> dict` into a task that runs with its `Job` row.

    The job is marked running, then succeeded with the returned dict as `summary`, or failed.
    The function must be defined at module level (the worker imports it by its path)."""

    def decorate(func: Callable[..., dict | None]) -> Task:
        @functools.wraps(func)
        def run(job_id: int, **kwargs: Any) -> dict:
            job = Job.objects.get(pk=job_id)
            _set(job, status=Job.Status.RUNNING, started_at=timezone.now())
            try:
                summary = func(job, **kwargs) or {}
            except JobError as exc:
                _fail(job, exc.message, exc.values)
                _announce(job)
                raise
            except Exception:
                _fail(
                    job,
                    gettext_noop(
                        "Công việc gặp lỗi và đã dừng. Vui lòng thử lại sau hoặc báo quản trị viên."
                    ),
                )
                _announce(job)
                raise
            except BaseException:
                # The worker is being stopped (Ctrl-C, SystemExit): it records the task as
                # failed, so the job must not stay "running".
                _fail(job, INTERRUPTED)
                raise
            fields = {"status": Job.Status.SUCCEEDED, "summary": summary}
            if job.total is not None:
                fields["done"] = job.total
            _set(job, finished_at=timezone.now(), **fields)
            _announce(job)
            return summary

        made = task(queue_name=queue_name, priority=priority)(run)
        _job_tasks.add(made.module_path)
        return made

    return decorate


@transaction.atomic
def start(
    job_task: Task,
    *,
    owner,
    title: str,
    title_args: dict | None = None,
    total: int | None = None,
    **kwargs: Any,
) -> Job:
    """Record a job for `owner` and queue its task; returns the job (queued). `title` is the
    Vietnamese source text (`gettext_noop`) with `title_args` for its %(name)s values: pages
    translate it when they show it (`Job.display_title`).

    `kwargs` go to the task and must be JSON values. With the database backend the job and its
    queue entry are written in one transaction, so the worker never sees one without the other.
    Refused (`JobRefused`, nothing written) while `owner` has JOBS_MAX_RUNNING_PER_USER jobs
    waiting or running."""
    if job_task.module_path not in _job_tasks:
        raise TypeError(f"{job_task.module_path} is not a @core.jobs.job_task")
    refuse_if_busy(owner)
    job = Job.objects.create(
        kind=job_task.module_path,
        title=title,
        title_args=title_args or {},
        owner=owner,
        total=total,
    )
    result = job_task.enqueue(job_id=job.pk, **kwargs)
    _set(job, task_id=str(result.id))
    return job


def refuse_if_busy(owner) -> None:
    """Raise `JobRefused` when `owner` already has JOBS_MAX_RUNNING_PER_USER jobs queued or
    running: twenty exports asked for in a second must not fill the one worker's queue ahead
    of everybody else's work. The owner's row is locked first, so requests arriving together
    are counted one after the other (on SQLite the write transaction already does that); call
    it inside the transaction that starts the job (`start` does)."""
    if owner is None:
        return
    users = get_user_model()._default_manager
    users.select_for_update().filter(pk=owner.pk).values_list("pk").first()
    running = Job.objects.filter(owner_id=owner.pk).unfinished().count()
    if running >= settings.JOBS_MAX_RUNNING_PER_USER:
        raise JobRefused(
            _(
                "Bạn đang có %(count)s công việc chạy nền chưa xong. Vui lòng đợi một công việc "
                "xong rồi thử lại."
            )
            % {"count": running}
        )


def report_progress(
    job: Job,
    *,
    done: int,
    total: int | None = None,
    message: str | None = None,
    values: dict | None = None,
) -> None:
    """Tell the page how far the job is: `done` of `total` (unchanged when None), a message
    (Vietnamese source text, with `values` for its placeholders)."""
    fields: dict[str, Any] = {"done": done}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields.update(_message(message, values))
    final = (total if total is not None else job.total) == done
    now = time.monotonic()
    due = now - getattr(job, "_progress_written", 0.0) >= PROGRESS_INTERVAL
    for name, value in fields.items():
        setattr(job, name, value)
    if due or final or total is not None or message is not None:
        job._progress_written = now
        _set(job, **fields)


def finish_message(job: Job, message: str, values: dict | None = None) -> None:
    """The sentence shown when the job is done: the Vietnamese source text ("Đã nhập
    %(n)s hợp tác xã") and `values` for its placeholders, translated when shown."""
    _set(job, **_message(message, values))


def attach_file(job: Job, name: str, content: bytes) -> None:
    """Keep a generated file as the job's result (downloaded through `core:job_file`, which
    checks that the user may see the job). Written all or nothing (`core.storage`): on a full
    disk no file is left and the job fails with a message saying so."""
    try:
        store_file(job.result_file, ContentFile(content), name=name)
    except DiskFull as error:
        raise JobError(
            gettext_lazy(
                "Máy chủ đã hết chỗ lưu tệp nên chưa tạo được tệp kết quả. Vui lòng thử lại sau "
                "hoặc báo quản trị viên."
            )
        ) from error
    _set(job, result_file=job.result_file.name)


def fail_stale(*, older_than: datetime.timedelta) -> list[Job]:
    """Mark failed the running jobs whose worker died (killed, machine restarted), so their
    page stops showing a progress bar that never moves; returns them.

    A job is stale when the worker already recorded its task as finished, or when it showed no
    sign of life (start, progress) for `older_than`. Its task, if still "running" in the queue,
    is marked failed too. Run by `manage.py fail_stale_jobs` when the worker starts and by cron."""
    stale = list(Job.objects.stale(before=timezone.now() - older_than))
    for job in Job.objects.filter(status=Job.Status.RUNNING).exclude(pk__in=[j.pk for j in stale]):
        task_result = DBTaskResult.objects.filter(id=_uuid(job.task_id)).first()
        if task_result is not None and task_result.status != TaskResultStatus.RUNNING:
            stale.append(job)
    for job in stale:
        _set(
            job,
            status=Job.Status.FAILED,
            **_message(INTERRUPTED),
            error=f"Marked failed by fail_stale_jobs: no sign of life since {job.updated_at}.",
            finished_at=timezone.now(),
        )
        task_id = _uuid(job.task_id)
        if task_id is not None:
            DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now()
            )
    return stale


def _announce(job: Job) -> None:
    """Send `job_ended`; a receiver's failure must not turn a finished job into a failed one."""
    for receiver, result in job_ended.send_robust(sender=Job, job=job):
        if isinstance(result, Exception):
            logging.getLogger("hopluc.jobs").error(
                "job_ended receiver %r failed for job %s: %r", receiver, job.pk, result
            )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _message(message, values: dict | None = None) -> dict[str, Any]:
    """The fields for a message: its source text (a lazy text evaluated in Vietnamese, so the
    msgid, whatever language the task runs in) and its values."""
    with override(settings.LANGUAGE_CODE):
        text = str(message)
    return {"message": text[:500], "message_args": values or {}}


def _fail(job: Job, message, values: dict | None = None) -> None:
    _set(
        job,
        status=Job.Status.FAILED,
        **_message(message, values),
        error=traceback.format_exc(),
        finished_at=timezone.now(),
    )


def _set(job: Job, **fields: Any) -> None:
    """Write the given fields now, without touching the others (the page reads them); every
    write is a sign of life (`updated_at`, see `fail_stale`)."""
    fields["updated_at"] = timezone.now()
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        if name != "result_file":
            setattr(job, name, value)
