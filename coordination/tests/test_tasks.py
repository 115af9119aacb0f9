"""The Excel export of programs, run as a background job by the real worker."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from core.tests.helpers import run_worker
from core.xlsx import MONEY_FORMAT

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_export_runs_in_the_background_and_holds_only_visible_programs(client, world):
    client.force_login(world.staff)
    assert "Xuất Excel" in client.get(reverse("coordination:home")).content.decode()
    response = client.post(reverse("coordination:program_export"))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.status, job.owner) == (Job.Status.QUEUED, world.staff)

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.summary == {"programs": 1, "activities": 1}
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Đã xuất 1 chương trình và 1 hoạt động." in page
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert "chuong-trinh" in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    programs = [row[0] for row in book["Chương trình"].iter_rows(min_row=2, values_only=True)]
    assert programs == [world.program.title]  # not the other province's program
    activities = list(book["Hoạt động"].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in activities] == [world.activity.title]
    # Years and dates are typed values, the task area by number and by name.
    (row,) = activities
    area = world.activity.task_area
    assert row[1] == world.activity.plan.year and isinstance(row[1], int)
    assert (row[2], row[3]) == (area.number, area.title)
    assert row[6].date() == world.activity.start_date and row[7].date() == world.activity.end_date
    budget = book["Hoạt động"].cell(row=2, column=9)
    assert (budget.value, budget.data_type) == (world.activity.planned_budget, "n")
    assert budget.number_format == MONEY_FORMAT
    program_row = next(book["Chương trình"].iter_rows(min_row=2, values_only=True))
    assert program_row[3:5] == (world.program.start_year, world.program.end_year)
    # Units as recorded and, where different, today's (issue 15).
    old = "Ban Dân tộc tỉnh Bình Phước – nay là Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"
    assert program_row[2] == "Bình Phước (cũ) – nay là TP Đồng Nai"
    assert program_row[5] == f"{old}; Liên minh Hợp tác xã tỉnh Đồng Nai"
    assert row[5] == old


def test_export_is_started_by_post_only(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("coordination:program_export")).status_code == 405
    assert not Job.objects.exists()


def test_a_full_disk_fails_the_export_with_a_message_and_leaves_no_file(
    client, world, settings, monkeypatch
):
    """The result file cannot be written (ENOSPC): the job fails saying why, and neither an
    empty nor a partial file stays under jobs/."""
    from core.tests.helpers import fill_the_disk, stored_files

    client.force_login(world.staff)
    client.post(reverse("coordination:program_export"))
    fill_the_disk(monkeypatch, written=0)

    run_worker()

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Máy chủ đã hết chỗ lưu tệp nên chưa tạo được tệp kết quả.")
    assert not job.result_file
    assert stored_files(settings.MEDIA_ROOT) == []
    page = client.get(job.get_absolute_url()).content.decode()
    assert "hết chỗ lưu tệp" in page


def test_an_english_reader_sees_the_job_message_in_english(client, world):
    """The worker stores the Vietnamese source text and its values; the page translates them
    for whoever reads it, and a row from before (plain text) is shown as it is."""
    client.force_login(world.staff)
    client.post(reverse("coordination:program_export"))
    run_worker()
    job = Job.objects.get()
    assert job.message == "Đã xuất %(programs)s chương trình và %(activities)s hoạt động."
    assert job.message_args == {"programs": 1, "activities": 1}
    client.cookies["django_language"] = "en"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Exported 1 programs and 1 activities." in page
    assert "Đã xuất" not in page
    assert "Exported 1 programs" in client.get(reverse("core:job_list")).content.decode()
    client.cookies["django_language"] = "vi"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Đã xuất 1 chương trình và 1 hoạt động." in page
    Job.objects.filter(pk=job.pk).update(message="Đã xong (50%)", message_args={})
    client.cookies["django_language"] = "en"
    assert "Đã xong (50%)" in client.get(job.get_absolute_url()).content.decode()
