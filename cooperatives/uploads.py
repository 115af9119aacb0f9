"""The web import's uploads (/htx/nhap/, see docs/architecture.md): keep an uploaded list and
start its preview job, confirm it once into the import job, purge the files never imported.

Apart from `services.py` because these start the background jobs of `tasks.py`, which import
through `services.cooperatives_import`: views → uploads → tasks → services, one way."""

import datetime
import uuid
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Province
from core import jobs
from core.models import Job
from core.storage import discard_file, store_file

from . import tasks
from .models import CooperativeImport


class ImportRefused(Exception):
    """An upload that may not be confirmed; the message (Vietnamese) says why."""


@transaction.atomic
def cooperative_import_upload(*, user, file: File, province: Province | None) -> CooperativeImport:
    """Keep an uploaded list (already through `ImportForm`'s safety checks) in the default
    storage and start its preview job (`tasks.cooperative_import_preview`).

    The user's earlier uploads that were never confirmed are dropped with their files: only
    the newest preview can be confirmed. The file is written all or nothing first
    (`core.storage.store_file`): on a full disk `DiskFull` (a ValidationError with a Vietnamese
    message) is raised with no file kept, no row created and the older uploads untouched; if
    anything after it fails, the file goes with the rolled-back row."""
    # Before anything is stored or dropped: the preview job may be refused (too many running).
    jobs.refuse_if_busy(user)
    name = Path(file.name or "").name[:255]
    upload = CooperativeImport(uploaded_by=user, name=name, province=province)
    # A name of our own in storage: the user's name is kept in `name` only.
    store_file(upload.file, file, name=f"{uuid.uuid4().hex}{Path(name).suffix.lower()}")
    try:
        for older in (
            CooperativeImport.objects.filter(uploaded_by=user).awaiting().select_for_update()
        ):
            older.discard_file()
        upload.save()
        upload.preview_job = jobs.start(
            tasks.cooperative_import_preview,
            owner=user,
            title=gettext_noop("Kiểm tra tệp danh sách HTX “%(name)s”"),
            title_args={"name": name},
            upload_id=upload.pk,
        )
        upload.save(update_fields=["preview_job"])
    except BaseException:
        discard_file(upload.file.storage, upload.file.name)
        raise
    return upload


@transaction.atomic
def cooperative_import_confirm(*, upload: CooperativeImport, user) -> Job:
    """Start the import job (`tasks.cooperative_import_run`) of a previewed upload, once.

    Refused (`ImportRefused`, nothing started) unless `user` uploaded it, it is their newest
    upload, it was not confirmed already, its file is still kept and its preview finished
    without errors. The row is locked so two confirmations cannot both start a job."""
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
        title=gettext_noop("Nhập danh sách HTX “%(name)s”"),
        title_args={"name": upload.name},
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
