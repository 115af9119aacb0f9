"""The .xlsx appendix built as a background job by the real worker: the page follows its
progress, the file is kept as the job's result and only its owner downloads it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from core.tests.helpers import run_worker
from reporting.reports import services
from reporting.reports.appendix import write_xlsx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def report(review):
    return services.report_generate(
        program=review.program, kind="annual", year=2024, by=review.staff, today=review.today
    )


def test_the_appendix_is_built_in_the_background_and_downloaded_from_the_job(
    client, review, report
):
    client.force_login(review.staff)
    detail = client.get(report.get_absolute_url()).content.decode()
    assert 'id="download-xlsx"' in detail and reverse("reporting:report_xlsx", args=[report.pk])
    response = client.post(reverse("reporting:report_xlsx", args=[report.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.kind == "reporting.reports.tasks.report_appendix"
    waiting = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Đang chờ" in waiting

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    sheets = 2 + review.program.task_areas.count() + 2
    assert (job.done, job.total) == (sheets + 1, sheets + 1), "one step per sheet, one to save"
    done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "Phụ lục đã sẵn sàng để tải về." in done
    assert reverse("core:job_file", args=[job.pk]) in done
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert 'filename="phu-luc-so-ket-nam-2024' in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    kept = load_workbook(io.BytesIO(content))
    direct = load_workbook(io.BytesIO(write_xlsx(report)))
    assert kept.sheetnames == direct.sheetnames
    for name in kept.sheetnames:
        assert list(kept[name].values) == list(direct[name].values), name
    assert job.summary == {"report": report.pk, "version": 1, "bytes": len(content)}

    # Another reader of the program cannot fetch this user's file.
    client.force_login(review.alliance_staff)
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


def test_an_outsider_cannot_start_the_appendix_and_get_is_refused(client, review, report):
    client.force_login(review.outsider)
    assert client.post(reverse("reporting:report_xlsx", args=[report.pk])).status_code == 404
    client.force_login(review.staff)
    assert client.get(reverse("reporting:report_xlsx", args=[report.pk])).status_code == 405
    assert not Job.objects.exists()
