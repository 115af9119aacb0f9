"""Background jobs end to end: a view starts a real job, the real database worker runs it, the
page follows its progress (htmx partial and plain refresh) and serves its result file."""

import io

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from core import jobs
from core.models import Job

# The worker closes "old" connections between tasks, which a test wrapped in a transaction
# cannot survive: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@jobs.job_task()
def failing_job(job, *, reason: str) -> dict:
    """A job that stops half way, with a message for the user or a crash."""
    jobs.report_progress(job, done=1, total=4, message="Đang đọc tệp…")
    if reason == "user":
        raise jobs.JobError("Tệp không đúng mẫu: thiếu cột Mã số HTX.")
    raise RuntimeError("boom")


def run_worker() -> None:
    """The real `manage.py db_worker` loop, in batch mode: run what is queued, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_export_runs_in_the_worker_and_the_page_follows_it_to_the_file(client, world):
    client.force_login(world.staff)
    assert "Xuất Excel" in client.get(reverse("coordination:home")).content.decode()

    response = client.post(reverse("coordination:program_export"))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == Job.Status.QUEUED and job.owner == world.staff
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()

    # While queued: the partial asks htmx to poll, and offers a plain link without JavaScript.
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial and "Đang chờ" in partial
    assert "<html" not in partial
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Cập nhật tiến độ" in page and "<html" in page

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.done, job.total) == (1, 1)
    assert job.summary == {"programs": 1, "activities": 1}
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial, "a finished job must stop the polling"
    assert "Đã xuất 1 chương trình và 1 hoạt động." in partial
    assert reverse("core:job_file", args=[job.pk]) in partial

    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert download.status_code == 200
    assert "chuong-trinh" in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    programs = [row[0] for row in book["Chương trình"].iter_rows(min_row=2, values_only=True)]
    assert programs == [world.program.title]  # not the other province's program
    activities = list(book["Hoạt động"].iter_rows(min_row=2, values_only=True))
    assert [row[3] for row in activities] == [world.activity.title]

    listing = client.get(reverse("core:job_list")).content.decode()
    assert "Xuất danh sách chương trình ra Excel" in listing


def test_another_user_cannot_see_the_job_or_its_file(client, world):
    job = jobs.start(
        jobs_module_task(), owner=world.staff, title="Xuất danh sách", user_id=world.staff.pk
    )
    run_worker()
    client.force_login(world.other_staff)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404
    assert "Xuất danh sách" not in client.get(reverse("core:job_list")).content.decode()


def jobs_module_task():
    from coordination.tasks import export_programs

    return export_programs


def test_a_job_failing_with_a_user_message_shows_that_message(client, world):
    job = jobs.start(failing_job, owner=world.staff, title="Nhập HTX", reason="user")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Tệp không đúng mẫu: thiếu cột Mã số HTX."
    assert (job.done, job.total) == (1, 4)
    client.force_login(world.staff)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp không đúng mẫu" in page and "Không thành công" in page
    assert "hx-trigger" not in page


def test_a_crashing_job_shows_a_plain_message_and_keeps_the_traceback_for_admins(client, world):
    job = jobs.start(failing_job, owner=world.staff, title="Nhập HTX", reason="crash")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "RuntimeError: boom" in job.error
    client.force_login(world.staff)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Công việc gặp lỗi và đã dừng" in page
    assert "boom" not in page and "Traceback" not in page


def test_progress_is_written_at_most_twice_a_second_but_the_last_step_always(world):
    job = Job.objects.create(kind="test", title="Đếm", owner=world.staff)
    jobs.report_progress(job, done=0, total=3, message="Bắt đầu")
    jobs.report_progress(job, done=1)  # within PROGRESS_INTERVAL: kept in memory only
    assert Job.objects.get(pk=job.pk).done == 0
    jobs.report_progress(job, done=3)
    stored = Job.objects.get(pk=job.pk)
    assert (stored.done, stored.total, stored.message) == (3, 3, "Bắt đầu")


def test_only_job_tasks_can_be_started(world):
    from django_tasks import task

    plain = task()(run_worker)
    with pytest.raises(TypeError):
        jobs.start(plain, owner=world.staff, title="x")
    assert not Job.objects.exists()
