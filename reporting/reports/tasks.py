"""Background jobs of the reports (run by the worker, see core.jobs).

The .xlsx appendix of a national phase summary lists tens of thousands of rows and takes several
seconds to write (docs/benchmarks.md), so it is built by the worker and kept as the job's result
file; the .docx stays a direct download (under a second at national scale)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from core import jobs

from .appendix import write_xlsx
from .models import Report


@jobs.job_task()
def report_appendix(job, *, report_id: int, user_id: int, filename: str) -> dict:
    """Write the .xlsx appendix of a report the user may read, one progress step per sheet.

    Visibility is checked again here, at run time, for the user who asked: a report they can no
    longer read fails with a message instead of a file."""
    user = get_user_model().objects.get(pk=user_id)
    report = Report.objects.visible_to(user).select_related("program").filter(pk=report_id).first()
    if report is None:
        raise jobs.JobError(gettext_noop("Bạn không còn quyền xem báo cáo này."))
    jobs.report_progress(job, done=0, message=gettext_noop("Đang lập phụ lục số liệu…"))
    # One step per sheet (a dozen at most), so each is written as it comes.
    content = write_xlsx(
        report, progress=lambda done, total: jobs.report_progress(job, done=done, total=total)
    )
    jobs.attach_file(job, filename, content)
    jobs.finish_message(job, gettext_noop("Phụ lục đã sẵn sàng để tải về."))
    return {"report": report.pk, "version": report.version, "bytes": len(content)}
