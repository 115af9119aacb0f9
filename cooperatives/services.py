"""Writes and files of the cooperative registry: import (with its dry-run preview), export and the
blank template. The rules of a row live in `resources.CooperativeResource`."""

import datetime
import uuid
from collections.abc import Callable
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Province
from core import jobs
from core.models import Job

from .importer import ImportFileError, read_file
from .importer.formats import write_xlsx
from .models import Cooperative, CooperativeImport
from .resources import CooperativeResource, ImportReport


class ImportRefused(Exception):
    """An upload that may not be confirmed; the message (Vietnamese) says why."""


def cooperatives_import(
    *,
    data: bytes,
    name: str,
    user=None,
    dry_run: bool = False,
    default_province: Province | None = None,
    engine: str = "calamine",
    progress: Callable[[int, int], None] | None = None,
    check_first: bool = False,
    before_write: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a provincial list, all or nothing: with any error nothing is written, and a dry
    run writes nothing either (it runs the whole import in a transaction that is rolled back,
    so the preview's counts are exactly what confirming will do).

    `user` limits the rows to the provinces they may import for (None: every province, for
    the command line); `default_province` is used for rows that name none; `progress(done,
    total)` is called every 1,000 rows.

    With `check_first` (the background jobs) every row is checked outside any transaction,
    so `progress` may write what it reports, and then the rows are written in one transaction
    (`before_write(n)` is called just before); a dry run then writes nothing at all. See
    `CooperativeResource.import_checked`."""
    try:
        dataset = read_file(data, name=name, engine=engine)
    except ImportFileError as error:
        return ImportReport.failed(str(error))
    resource = CooperativeResource(
        user=user,
        default_province=default_province,
        progress=progress,
        before_write=before_write,
    )
    if check_first:
        return resource.import_checked(dataset, dry_run=dry_run, user=user).report
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )
    return result.report


def cooperatives_export(*, queryset: QuerySet[Cooperative]) -> bytes:
    """The cooperatives of `queryset` as .xlsx with the import headers: importing the file
    again changes nothing."""
    dataset = CooperativeResource().export(
        queryset.select_related("province__successor").order_by("pk")
    )
    return write_xlsx(dataset.headers, dataset)


def cooperatives_template(*, province: Province | None = None) -> bytes:
    """An .xlsx with the headers and one example row to fill in."""
    province = province or Province.objects.current().filter(code="75").first()
    example = Cooperative(
        registration_code="0100000001",
        name="HTX Nông nghiệp Bù Gia Mập",
        province=province,
        province_as_written="Bình Phước" if province and province.code == "75" else "",
        district="Bù Gia Mập",
        commune="Phú Nghĩa",
        address="Thôn Bù Tam",
        established_on=datetime.date(2017, 6, 12),
        representative="Điểu Thị Nhung",
        phone="0912345678",
        members=52,
        ethnic_minority_members=31,
        sector="Nông nghiệp",
        charter_capital=1_250_000_000,
        revenue=3_400_000_000,
        rating=Cooperative.Rating.FAIR,
        ocop_stars=3,
        ocop_products="Hạt điều rang muối",
        vietgap=True,
        in_ethnic_minority_area=True,
    )
    resource = CooperativeResource()
    return write_xlsx(
        resource.get_export_headers(), [resource.export_resource(example)], title="Mẫu"
    )


@transaction.atomic
def cooperative_import_upload(*, user, file: File, province: Province | None) -> CooperativeImport:
    """Keep an uploaded list (already through `ImportForm`'s safety checks) in the default
    storage and start its preview job (`tasks.cooperative_import_preview`).

    The user's earlier uploads that were never confirmed are dropped with their files: only
    the newest preview can be confirmed."""
    from . import tasks  # tasks imports this module

    # Before anything is stored or dropped: the preview job may be refused (too many running).
    jobs.refuse_if_busy(user)
    for older in CooperativeImport.objects.filter(uploaded_by=user).awaiting().select_for_update():
        older.discard_file()
    name = Path(file.name or "").name[:255]
    upload = CooperativeImport(uploaded_by=user, name=name, province=province)
    # A name of our own in storage: the user's name is kept in `name` only.
    upload.file.save(f"{uuid.uuid4().hex}{Path(name).suffix.lower()}", file, save=False)
    upload.save()
    upload.preview_job = jobs.start(
        tasks.cooperative_import_preview,
        owner=user,
        title=_("Kiểm tra tệp danh sách HTX “%(name)s”") % {"name": name},
        upload_id=upload.pk,
    )
    upload.save(update_fields=["preview_job"])
    return upload


@transaction.atomic
def cooperative_import_confirm(*, upload: CooperativeImport, user) -> Job:
    """Start the import job (`tasks.cooperative_import_run`) of a previewed upload, once.

    Refused (`ImportRefused`, nothing started) unless `user` uploaded it, it is their newest
    upload, it was not confirmed already, its file is still kept and its preview finished
    without errors. The row is locked so two confirmations cannot both start a job."""
    from . import tasks  # tasks imports this module

    upload = (
        CooperativeImport.objects.select_for_update(of=("self",))
        .select_related("preview_job")
        .get(pk=upload.pk)
    )
    if upload.uploaded_by_id != user.pk:
        raise ImportRefused(_("Bạn không thể xác nhận tệp do người khác tải lên."))
    if upload.import_job_id is not None:
        raise ImportRefused(_("Tệp này đã được xác nhận nhập rồi; không nhập lần thứ hai."))
    if upload.is_superseded():
        raise ImportRefused(
            _("Bạn đã tải lên một tệp khác sau tệp này; chỉ xác nhận được bản xem trước mới nhất.")
        )
    if not upload.file:
        raise ImportRefused(_("Tệp chờ nhập không còn nữa; hãy tải tệp lên lại."))
    preview = upload.preview_job
    if preview is None or not preview.is_finished:
        raise ImportRefused(_("Chưa kiểm tra xong tệp; hãy đợi bản xem trước rồi xác nhận."))
    if preview.status != Job.Status.SUCCEEDED or not preview.summary.get("ok"):
        raise ImportRefused(
            _("Bản xem trước có lỗi nên không nhập được; hãy sửa tệp rồi tải lên lại.")
        )
    upload.import_job = jobs.start(
        tasks.cooperative_import_run,
        owner=user,
        title=_("Nhập danh sách HTX “%(name)s”") % {"name": upload.name},
        upload_id=upload.pk,
    )
    upload.save(update_fields=["import_job"])
    return upload.import_job


def cooperative_imports_purge(*, older_than: datetime.timedelta) -> int:
    """Delete the files of uploads older than `older_than` that are still kept (never
    confirmed, or whose import job died before it could delete it), except those whose import
    is queued or running; returns how many. Run by `manage.py purge_import_files`."""
    expired = list(CooperativeImport.objects.expired(before=timezone.now() - older_than))
    for upload in expired:
        upload.discard_file()
    return len(expired)
