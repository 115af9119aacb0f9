"""The background job framework: a job runs in the real database worker, reports progress,
fails with a message for the user, and is seen only by its owner."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.models import Job

from .helpers import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@jobs.job_task()
def counting_job(job, *, upto: int) -> dict:
    """Counts to `upto`, reporting each step, and keeps a small text file."""
    jobs.report_progress(job, done=0, total=upto, message="Đang đếm…")
    for done in range(1, upto + 1):
        jobs.report_progress(job, done=done)
    jobs.attach_file(job, "dem.txt", f"{upto}\n".encode())
    jobs.finish_message(job, f"Đã đếm đến {upto}.")
    return {"counted": upto}


@jobs.job_task()
def failing_job(job, *, reason: str) -> dict:
    """A job that stops after the first of four steps, with a message for the user or a crash."""
    jobs.report_progress(job, done=1, total=4, message="Đang đọc tệp…")
    if reason == "user":
        raise jobs.JobError("Tệp không đúng mẫu: thiếu cột Mã số HTX.")
    raise RuntimeError("boom")


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("nguoi.yeu.cau", password="x")


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("nguoi.khac", password="x")


def test_a_job_runs_in_the_worker_and_the_page_follows_it(client, owner):
    job = jobs.start(counting_job, owner=owner, title="Đếm số", upto=3)
    assert job.status == Job.Status.QUEUED
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    client.force_login(owner)

    # While queued: the partial asks htmx to poll, the full page offers a plain refresh link.
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial and "Đang chờ" in partial
    assert "<html" not in partial
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Cập nhật tiến độ" in page and "<html" in page

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.summary == {"counted": 3}
    assert job.started_at <= job.finished_at
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial, "a finished job stops the polling"
    assert "Đã đếm đến 3." in partial and "Hoàn thành" in partial
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"3\n"
    assert "Đếm số" in client.get(reverse("core:job_list")).content.decode()


def test_another_user_cannot_see_the_job_or_its_file(client, owner, stranger):
    job = jobs.start(counting_job, owner=owner, title="Đếm số", upto=1)
    run_worker()
    client.force_login(stranger)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404
    assert "Đếm số" not in client.get(reverse("core:job_list")).content.decode()


def test_a_job_failing_with_a_user_message_shows_that_message(client, owner):
    job = jobs.start(failing_job, owner=owner, title="Nhập HTX", reason="user")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Tệp không đúng mẫu: thiếu cột Mã số HTX."
    assert (job.done, job.total) == (1, 4)
    client.force_login(owner)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp không đúng mẫu" in page and "Không thành công" in page
    assert "hx-trigger" not in page
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


def test_a_crashing_job_shows_a_plain_message_and_keeps_the_traceback_for_admins(client, owner):
    job = jobs.start(failing_job, owner=owner, title="Nhập HTX", reason="crash")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "RuntimeError: boom" in job.error
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    client.force_login(owner)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Công việc gặp lỗi và đã dừng" in page
    assert "boom" not in page and "Traceback" not in page


def test_progress_is_written_at_most_twice_a_second_but_the_last_step_always(owner, monkeypatch):
    # The job's clock is set by the test, so a slow machine cannot make a step "due".
    now = [1000.0]
    monkeypatch.setattr(jobs, "time", SimpleNamespace(monotonic=lambda: now[0]))
    assert jobs.PROGRESS_INTERVAL == 0.5
    job = Job.objects.create(kind="test", title="Đếm", owner=owner)
    jobs.report_progress(job, done=0, total=4, message="Bắt đầu")
    now[0] += 0.25
    jobs.report_progress(job, done=1)  # within PROGRESS_INTERVAL: kept in memory only
    assert Job.objects.get(pk=job.pk).done == 0
    assert job.done == 1
    now[0] += 0.25
    jobs.report_progress(job, done=2)  # half a second since the last write: written
    assert Job.objects.get(pk=job.pk).done == 2
    now[0] += 0.25
    jobs.report_progress(job, done=4)  # the last step: written at once
    stored = Job.objects.get(pk=job.pk)
    assert (stored.done, stored.total, stored.message) == (4, 4, "Bắt đầu")


def test_only_job_tasks_can_be_started(owner):
    plain = task()(run_worker)
    with pytest.raises(TypeError):
        jobs.start(plain, owner=owner, title="x")
    assert not Job.objects.exists()
