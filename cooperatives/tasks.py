"""Background jobs of the /htx/nhap/ page (run by the worker, see core.jobs): the preview of
an uploaded list (a dry run) and, once the uploader confirms, its import, all or nothing.

Both read the file kept by `CooperativeImport` and check again, at run time, that its
uploader may still import for its province. Rows are checked outside any transaction, so the
page sees "n / N rows checked"; the import then writes them in one transaction."""

from django.utils.translation import gettext_noop

from core import jobs
from core.models import Job
from core.permissions import READ

from .models import CooperativeImport
from .permissions import upload_policy
from .resources import ImportReport
from .services import cooperatives_import

IMPORTED = gettext_noop(
    "Đã nhập danh sách HTX: %(new)s mới, %(updated)s cập nhật, %(unchanged)s không "
    "đổi, %(skipped)s dòng bỏ qua."
)


def _counts(report: ImportReport | dict) -> dict:
    summary = report if isinstance(report, dict) else report.as_json(max_errors=0)
    return {key: summary[key] for key in ("new", "updated", "unchanged", "skipped")}


@jobs.job_task()
def cooperative_import_preview(job, *, upload_id: int) -> dict:
    """Check the kept file as a dry run; the report (counts, the first errors, the layout) is
    the job's summary and the page shows it as the preview."""
    report = _import(job, upload_id, dry_run=True)
    if report.ok:
        jobs.finish_message(
            job,
            gettext_noop(
                "Đã kiểm tra tệp: %(new)s mới, %(updated)s cập nhật, %(unchanged)s không đổi, "
                "%(skipped)s dòng bỏ qua. Chưa ghi gì; hãy xác nhận để nhập."
            ),
            _counts(report),
        )
    else:
        jobs.finish_message(
            job,
            gettext_noop("Tệp có %(n)s lỗi; chưa ghi gì. Hãy sửa tệp rồi tải lên lại."),
            {"n": report.error_count},
        )
    return report.as_json()


@jobs.job_task()
def cooperative_import_run(job, *, upload_id: int) -> dict:
    """Import the kept file, all or nothing, then delete it (whatever the outcome: a failed
    import is uploaded again). With an error nothing is written and the job fails, keeping the
    report as its summary."""
    try:
        report = _import(job, upload_id, dry_run=False)
        summary = report.as_json()
        if not report.ok:
            # Kept for the page before `job_task` marks the job failed with the message.
            Job.objects.filter(pk=job.pk).update(summary=summary)
            raise jobs.JobError(
                gettext_noop("Không nhập được: tệp có %(n)s lỗi nên chưa ghi dòng nào."),
                {"n": report.error_count},
            )
        jobs.finish_message(job, IMPORTED, _counts(report))
        return summary
    finally:
        upload = CooperativeImport.objects.filter(pk=upload_id).first()
        if upload is not None:
            upload.discard_file()


def _import(job, upload_id: int, *, dry_run: bool) -> ImportReport:
    """The kept file through `cooperatives_import` (rows checked first), with its progress on
    the job's page."""
    upload, data = _read(upload_id)
    jobs.report_progress(job, done=0, message=gettext_noop("Đang đọc tệp…"))
    return cooperatives_import(
        data=data,
        name=upload.name,
        user=upload.uploaded_by,
        dry_run=dry_run,
        default_province=upload.province,
        check_first=True,
        progress=_rows_checked(job),
        before_write=lambda rows: jobs.report_progress(
            job,
            done=job.done,
            message=gettext_noop("Đang ghi %(rows)s dòng vào danh sách HTX…"),
            values={"rows": rows},
        ),
    )


def _read(upload_id: int) -> tuple[CooperativeImport, bytes]:
    """The upload and its bytes, if its uploader may still import it."""
    upload = (
        CooperativeImport.objects.select_related("uploaded_by", "province")
        .filter(pk=upload_id)
        .first()
    )
    if (
        upload is None
        or upload.uploaded_by is None
        or not upload_policy.allows(upload.uploaded_by, upload, READ)
    ):
        raise jobs.JobError(gettext_noop("Bạn không còn quyền nhập danh sách HTX cho tỉnh này."))
    gone = jobs.JobError(
        gettext_noop(
            "Tệp không còn nữa (đã có tệp tải lên sau thay thế, hoặc đã quá hạn); hãy tải tệp "
            "lên lại."
        )
    )
    if not upload.file:
        raise gone
    try:
        with upload.file.open("rb") as stream:
            return upload, stream.read()
    except OSError:
        raise gone from None


def _rows_checked(job):
    """A `progress(done, total)` callback that shows the rows checked on the job's page."""
    message = gettext_noop("Đang kiểm tra các dòng…")

    def report(done: int, total: int) -> None:
        first = job.total != total
        jobs.report_progress(
            job, done=done, total=total if first else None, message=message if first else None
        )

    return report
