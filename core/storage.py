"""Writing a file to storage all or nothing: when the disk fills up (or a quota runs out) while
a file is written, the partly written file is removed and the user reads a sentence, not an
error page. Used by the progress attachments, the cooperative import's uploads and the
background jobs' result files.

Storage's own `save` leaves a half-written (or 0-byte) file behind when the disk fills
mid-write, and a FileField's `save` would hide the name it had chosen; choosing the name here
lets us remove exactly that file."""

import errno

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

# Errors of a full disk or an exhausted quota: the user can do nothing but wait or send a smaller
# file, so they get a sentence, not an error page.
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
DISK_FULL = _(
    "Máy chủ đã hết chỗ lưu tệp nên chưa lưu được. Vui lòng thử lại sau hoặc báo quản trị viên."
)


class DiskFull(ValidationError):
    """The file could not be written for lack of space; nothing was left behind. A
    ValidationError, so a form shows it on the file's field."""


def store_file(field_file: FieldFile, content, *, name: str, message=DISK_FULL) -> None:
    """Write `content` (a Django File) to `field_file`'s storage under the name its field
    generates from `name`, without saving the row. On a full disk the partly written file is
    removed and `DiskFull(message)` raised; any other OSError is raised after the same
    clean-up."""
    field = field_file.field
    storage = field_file.storage
    # The free name is chosen first, so the clean-up can only remove the file this call wrote
    # (storage.save would pick another name for an existing file, e.g. a job's fixed name).
    target = storage.get_available_name(
        field.generate_filename(field_file.instance, name), max_length=field.max_length
    )
    try:
        stored = storage.save(target, content, max_length=field.max_length)
    except OSError as error:
        discard_file(storage, target)
        if error.errno in DISK_FULL_ERRNOS:
            raise DiskFull(message, code="disk_full") from error
        raise
    field_file.name = stored
    field_file._committed = True


def discard_file(storage, name: str) -> None:
    """Remove `name` if it is there; a failure to remove is not worth hiding the first error."""
    try:
        storage.delete(name)
    except OSError:
        pass
