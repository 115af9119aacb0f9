"""Attachments of progress updates: PDF, Word, Excel, JPEG or PNG, at most 10 MB, recognised by
their content and never by their name (a renamed program or web page is refused)."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from core.storage import store_file

MAX_BYTES = 10 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class AttachmentKind:
    extension: str
    content_type: str


PDF = AttachmentKind(".pdf", "application/pdf")
JPEG = AttachmentKind(".jpg", "image/jpeg")
PNG = AttachmentKind(".png", "image/png")
DOC = AttachmentKind(".doc", "application/msword")
XLS = AttachmentKind(".xls", "application/vnd.ms-excel")
DOCX = AttachmentKind(
    ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = AttachmentKind(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
KINDS = {kind.extension: kind for kind in (PDF, JPEG, PNG, DOC, XLS, DOCX, XLSX)}

# The part an Office Open XML package of each kind must hold, besides [Content_Types].xml.
OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
# Stream names in the directory of an old Office (OLE2) file, stored as UTF-16.
OLE2_STREAMS = {"WordDocument": DOC, "Workbook": XLS, "Book": XLS}

# What a full disk means here (see `core.storage`): the update itself was not recorded.
DISK_FULL = _(
    "Máy chủ đã hết chỗ lưu tệp nên chưa ghi nhận được. Vui lòng thử lại sau hoặc báo quản trị "
    "viên; nội dung cập nhật chưa được lưu."
)

WRONG_TYPE = _("Chỉ nhận tệp PDF, Word (doc, docx), Excel (xls, xlsx), JPEG hoặc PNG.")


def stored_kind(stored_name: str) -> AttachmentKind | None:
    """The kind of a kept attachment: its stored name ends with the extension of the kind its
    content was checked to be (`progress_record` names it so), never the uploader's."""
    return KINDS.get(Path(stored_name).suffix.lower())


def served_name(original: str, stored_name: str) -> str:
    """The name an attachment is downloaded under: the uploader's name with the extension of
    its checked kind, so a PDF uploaded as "trang.html" is saved as "trang.pdf" and never
    opened as a web page (".jpeg" stays, it is a JPEG's own)."""
    kind = stored_kind(stored_name)
    name = Path(original or stored_name).name
    if kind is None:
        return name
    suffix = Path(name).suffix.lower()
    if suffix == kind.extension or (kind is JPEG and suffix == ".jpeg"):
        return name
    return f"{Path(name).stem}{kind.extension}"


def download(stored: FieldFile, original_name: str, content_type: str = "") -> FileResponse:
    """A kept file as a download under `served_name`, the only way uploaded files leave the
    server (the caller has checked the user may read its record): 404 when there is none or
    it is gone from storage. The type is `content_type` (a kind checked on upload), else the
    stored kind's."""
    if not stored:
        raise Http404
    if not content_type:
        kind = stored_kind(stored.name)
        content_type = kind.content_type if kind else "application/octet-stream"
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=served_name(original_name, stored.name),
        content_type=content_type,
    )


def check_attachment(upload) -> AttachmentKind:
    """The kind of an uploaded file, found from its bytes; ValidationError with a Vietnamese
    message if it is too large or not one of the accepted kinds."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Tệp lớn hơn 10 MB (%(size)s MB).") % {"size": round(upload.size / 1024 / 1024, 1)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        kind = _sniff(upload, head)
    finally:
        upload.seek(0)
    if kind is None:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    return kind


def _sniff(upload, head: bytes) -> AttachmentKind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload)
    if head == OLE2_MAGIC:
        return _ole2_kind(upload.read())
    return None


def _ooxml_kind(upload) -> AttachmentKind | None:
    """A .docx or .xlsx is a zip holding [Content_Types].xml and its main part; only the
    directory is read, nothing is extracted."""
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in OOXML_MAIN_PART.items() if part in names), None)


def _ole2_kind(data: bytes) -> AttachmentKind | None:
    """An old .doc or .xls is an OLE2 compound file whose directory names a 'WordDocument' or
    'Workbook' stream (UTF-16 names, each ended by a NUL character)."""
    for stream, kind in OLE2_STREAMS.items():
        if (stream + "\0").encode("utf-16-le") in data:
            return kind
    return None


def store_attachment(field_file, upload) -> None:
    """Write `upload` to `field_file`'s storage before the row is saved, all or nothing
    (`core.storage.store_file`): a full disk leaves no file and becomes a ValidationError
    with a Vietnamese message saying the update was not recorded."""
    store_file(field_file, upload, name=upload.name, message=DISK_FULL)
