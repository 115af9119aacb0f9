"""A job whose worker died must not stay "running" forever: `fail_stale_jobs` (run when the
worker starts and by cron) marks it failed, and a worker stopped mid-job fails it at once."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.models import Job

from .helpers import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@jobs.job_task()
def slow_job(job, *, steps: int) -> dict:
    jobs.report_progress(job, done=0, total=steps, message="Đang xử lý…")
    return {"steps": steps}


@jobs.job_task()
def interrupted_job(job) -> dict:
    jobs.report_progress(job, done=1, total=3, message="Đang xử lý…")
    raise KeyboardInterrupt  # what Ctrl-C / the stop signal does to the task in hand


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("nguoi.yeu.cau", password="x")


def claimed_by_a_dead_worker(job: Job, *, silent_for: datetime.timedelta) -> None:
    """The state a worker killed with SIGKILL leaves: its task claimed, the job running."""
    DBTaskResult.objects.get(id=job.task_id).claim("worker-that-died")
    since = timezone.now() - silent_for
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=since, updated_at=since, done=2, total=10
    )


def test_jobs_silent_for_too_long_are_failed_and_their_page_stops_waiting(client, owner):
    dead = jobs.start(slow_job, owner=owner, title="Phụ lục lớn", steps=10)
    claimed_by_a_dead_worker(dead, silent_for=datetime.timedelta(hours=2))
    alive = jobs.start(slow_job, owner=owner, title="Đang chạy thật", steps=10)
    claimed_by_a_dead_worker(alive, silent_for=datetime.timedelta(minutes=1))
    queued = jobs.start(slow_job, owner=owner, title="Chưa chạy", steps=1)

    call_command("fail_stale_jobs", "--minutes", "30", verbosity=0)

    dead.refresh_from_db()
    assert dead.status == Job.Status.FAILED and dead.finished_at is not None
    assert dead.message == str(jobs.INTERRUPTED) and "fail_stale_jobs" in dead.error
    assert (dead.done, dead.total) == (2, 10), "the progress reached is kept"
    assert DBTaskResult.objects.get(id=dead.task_id).status == "FAILED"
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    assert DBTaskResult.objects.get(id=alive.task_id).status == "RUNNING"
    assert Job.objects.get(pk=queued.pk).status == Job.Status.QUEUED
    client.force_login(owner)
    page = client.get(dead.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in page and "bị gián đoạn" in page and "Không thành công" in page

    # The queued job still runs normally afterwards.
    run_worker()
    assert Job.objects.get(pk=queued.pk).status == Job.Status.SUCCEEDED


def test_a_job_whose_task_already_ended_is_failed_whatever_its_age(owner):
    job = jobs.start(slow_job, owner=owner, title="Phụ lục", steps=10)
    claimed_by_a_dead_worker(job, silent_for=datetime.timedelta(seconds=5))
    DBTaskResult.objects.filter(id=job.task_id).update(status="FAILED")

    assert [j.pk for j in jobs.fail_stale(older_than=datetime.timedelta(minutes=30))] == [job.pk]
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_at_worker_start_minutes_zero_fails_every_running_job(owner, capsys):
    job = jobs.start(slow_job, owner=owner, title="Phụ lục", steps=10)
    claimed_by_a_dead_worker(job, silent_for=datetime.timedelta(seconds=1))
    call_command("fail_stale_jobs", "--minutes", "0")
    assert "1 công việc bị gián đoạn" in capsys.readouterr().out
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_a_worker_stopped_in_the_middle_of_a_job_fails_it_at_once(owner):
    job = jobs.start(interrupted_job, owner=owner, title="Nhập HTX")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == str(jobs.INTERRUPTED)
    assert (job.done, job.total) == (1, 3)
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
