"""Opening an uploaded file safely and reading its rows.

Everything a file can do wrong ends in `ImportFileError` with a Vietnamese message, never in a
traceback: a wrong or unsupported format, content that is not what the name says, a corrupt or
password-protected workbook, a zip bomb (sizes, member count and compression ratio are checked
before any spreadsheet library opens the archive, and every member is decompressed once with
its CRC checked) and XML with a DTD (entity attacks; an .xlsx never needs one, and defusedxml
guards openpyxl as well).
"""

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from core.formatting import number

SUPPORTED = (".xlsx", ".xls", ".ods", ".csv")
# Workbooks python-calamine reads: Excel 2007+, Excel 97–2003 (many provincial offices still
# save it) and LibreOffice / OpenDocument.
WORKBOOKS = ("xlsx", "xls", "ods")
_ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"'
)
_ROW_REF = re.compile(rb'<row r="(\d{1,7})"')
_WIDE_CELL_REF = re.compile(rb'<c r="([A-Z]{2,3})\d')
# A cell of a one-letter column right of the first N columns, for N = 0 … 25.
_CELL_RIGHT_OF = [re.compile(rb'<c r="[%c-Z]' % (ord("A") + n)) for n in range(26)]
_OTHER_MAGIC = {b"%PDF": "PDF", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF"}


class ImportFileError(Exception):
    """The file cannot be imported at all; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one import, from settings (COOPERATIVE_IMPORT_*)."""

    max_bytes: int
    max_rows: int
    max_cells: int  # rows × columns of a sheet's used range, as a reader holds it in memory
    max_uncompressed_bytes: int
    max_members: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.COOPERATIVE_IMPORT_MAX_BYTES,
            max_rows=settings.COOPERATIVE_IMPORT_MAX_ROWS,
            max_cells=settings.COOPERATIVE_IMPORT_MAX_CELLS,
            max_uncompressed_bytes=settings.COOPERATIVE_IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_members=settings.COOPERATIVE_IMPORT_MAX_ZIP_MEMBERS,
            max_ratio=settings.COOPERATIVE_IMPORT_MAX_COMPRESSION_RATIO,
        )


def megabytes(size: int) -> str:
    """20971520 → '20 MB' (binary megabytes, as the operating system shows file sizes)."""
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def too_many_cells(sheet: str, rows: int, columns: int, limits: Limits) -> ImportFileError:
    """The refusal of a sheet whose used range is larger than `limits.max_cells`."""
    return ImportFileError(
        _(
            "Trang tính “%(sheet)s” quá lớn: %(rows)s dòng × %(columns)s cột (%(cells)s ô), "
            "vượt giới hạn %(limit)s ô. Hãy xóa các cột, dòng trống thừa hoặc chia thành nhiều "
            "tệp."
        )
        % {
            "sheet": sheet,
            "rows": number(rows),
            "columns": number(columns),
            "cells": number(rows * columns),
            "limit": number(limits.max_cells),
        }
    )


def _column_number(letters: bytes) -> int:
    value = 0
    for letter in letters:
        value = value * 26 + letter - 64
    return value


def _check_dimension(member: zipfile.ZipInfo, chunk: bytes, limits: Limits) -> None:
    """Refuse a worksheet whose declared used range (its <dimension> element, written near the
    start by Excel and LibreOffice) exceeds the cell limit, before anything else is read."""
    found = _DIMENSION.search(chunk)
    if found is None or found.group(3) is None:
        return
    first_col, first_row, last_col, last_row = found.groups()
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col) - _column_number(first_col) + 1
    if rows * columns > limits.max_cells:
        raise too_many_cells(Path(member.filename).stem, rows, columns, limits)


class _UsedRange:
    """The last row and the rightmost column a worksheet names (`<row r="99000">`,
    `<c r="KN…">`), gathered chunk by chunk while `check_archive` decompresses it anyway: the
    range a reader will expand into memory, whatever the <dimension> element claims. Kept to
    C-speed searches (a regex over the rows and the few cells past column Z, and a few
    searches for a cell right of the widest so far), so a legitimate 100,000-row list costs
    well under a second more."""

    def __init__(self) -> None:
        self.rows = self.columns = 0

    def feed(self, window: bytes) -> None:
        rows = _ROW_REF.findall(window)
        if rows:
            self.rows = max(self.rows, *map(int, rows))
        wide = set(_WIDE_CELL_REF.findall(window))
        if wide:
            self.columns = max(self.columns, *map(_column_number, wide))
        else:
            # The rightmost one-letter column: one search for a cell right of the widest
            # so far, again from there while one is found (a few searches per window,
            # instead of a substring test per letter from Z down: issue 18).
            while self.columns < 26 and (cell := _CELL_RIGHT_OF[self.columns].search(window)):
                self.columns = cell.group()[-1] - 64


def file_kind(name: str, data: bytes, limits: Limits) -> str:
    """'xlsx' or 'csv', after checking the size and that the bytes are what the name says."""
    suffix = Path(name or "").suffix.lower()
    if len(data) > limits.max_bytes:
        raise ImportFileError(
            _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
            % {"size": megabytes(len(data)), "limit": megabytes(limits.max_bytes)}
        )
    if not data:
        raise ImportFileError(_("Tệp rỗng."))
    if data.startswith(_OLE_MAGIC):
        # An encrypted .xlsx is an OLE file too. (An .xls with a password: calamine refuses it
        # when reading, with the same message.)
        if _ENCRYPTED_STREAM in data:
            raise ImportFileError(
                _(
                    "Tệp được đặt mật khẩu. Hãy mở tệp trong Excel, gỡ mật khẩu "
                    "(Tệp › Thông tin › Bảo vệ sổ làm việc) rồi tải lên lại."
                )
            )
        if suffix != ".xls":
            raise ImportFileError(
                _("Tên tệp có đuôi “%(suffix)s” nhưng nội dung là tệp Excel đời cũ (.xls).")
                % {"suffix": suffix or name}
            )
        return "xls"
    if suffix not in SUPPORTED:
        raise ImportFileError(
            _(
                "Định dạng “%(suffix)s” không được hỗ trợ. Chỉ nhận tệp Excel (.xlsx, .xls), "
                "LibreOffice (.ods) hoặc .csv (UTF-8)."
            )
            % {"suffix": suffix or name}
        )
    is_zip = data.startswith(_ZIP_MAGIC)
    if suffix == ".xls":
        raise ImportFileError(_("Tên tệp có đuôi .xls nhưng nội dung không phải tệp Excel .xls."))
    if suffix == ".xlsx" and not is_zip:
        raise ImportFileError(_("Tên tệp có đuôi .xlsx nhưng nội dung không phải tệp Excel .xlsx."))
    if suffix == ".ods" and not (is_zip and data[30 : 30 + len(_ODS_MIMETYPE)] == _ODS_MIMETYPE):
        raise ImportFileError(
            _("Tên tệp có đuôi .ods nhưng nội dung không phải bảng tính LibreOffice .ods.")
        )
    if suffix == ".csv":
        found = next(
            (label for magic, label in _OTHER_MAGIC.items() if data.startswith(magic)), None
        )
        if is_zip or found or b"\x00" in data[:8192]:
            raise ImportFileError(
                _(
                    "Tên tệp có đuôi .csv nhưng nội dung không phải văn bản CSV "
                    "(có thể là %(what)s)."
                )
                % {"what": found or (_("tệp Excel .xlsx") if is_zip else _("tệp nhị phân"))}
            )
    return suffix[1:]


def check_archive(data: bytes, limits: Limits, kind: str = "xlsx") -> None:
    """Refuse a corrupt, encrypted or oversized .xlsx or .ods before a spreadsheet library
    opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(_("Tệp .xlsx bị hỏng, không mở được.")) from None
    bomb = ImportFileError(
        _(
            "Tệp .xlsx có cấu trúc nén bất thường (có thể là “bom nén”) nên không được mở. "
            "Hãy lưu lại tệp từ Excel."
        )
    )
    if len(members) > limits.max_members:
        raise bomb
    if sum(m.file_size for m in members) > limits.max_uncompressed_bytes:
        raise bomb
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportFileError(_("Tệp được đặt mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại."))
        if member.file_size > 1_000_000 and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise bomb
    names = {m.filename for m in members}
    if kind == "ods":
        if "content.xml" not in names:
            raise ImportFileError(_("Tệp .ods bị hỏng, không mở được."))
    elif "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportFileError(_("Tên tệp có đuôi .xlsx nhưng nội dung không phải sổ tính Excel."))
    try:
        for member in members:
            _scan_member(archive, member, limits)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError):
        raise ImportFileError(_("Tệp .xlsx bị hỏng, không mở được.")) from None


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Decompress one member (zipfile stops at the declared size and checks the CRC), look
    for a DTD in its XML and check a worksheet's declared size."""
    xml = member.filename.endswith((".xml", ".rels", ".vml"))
    worksheet = member.filename.startswith("xl/worksheets/") and xml
    used = _UsedRange()
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            if worksheet:
                if not tail:  # the first chunk holds the <dimension> element
                    _check_dimension(member, chunk, limits)
                used.feed(tail + chunk)
                if used.rows * used.columns > limits.max_cells:
                    raise too_many_cells(
                        Path(member.filename).stem, used.rows, used.columns, limits
                    )
            if xml:
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    raise ImportFileError(
                        _(
                            "Tệp chứa khai báo XML không an toàn (DTD/ENTITY) nên không được "
                            "mở. Hãy lưu lại tệp từ Excel."
                        )
                    )
                tail = chunk[-32:]


Rows = Iterator[list]


@dataclass
class Sheet:
    name: str
    rows: Rows  # from Excel row 1, column A


def xlsx_sheets(
    data: bytes, engine: str = "calamine", limits: Limits | None = None
) -> Iterator[Sheet]:
    """The worksheets of a checked .xlsx, .xls or .ods, visible ones first, each row from
    column A (openpyxl reads .xlsx only). A sheet whose used range (as calamine loaded it)
    exceeds the cell limit is refused before any of its rows become Python values."""
    limits = limits or Limits.from_settings()
    if engine == "openpyxl" and data.startswith(_ZIP_MAGIC) and _ODS_MIMETYPE not in data[:100]:
        yield from _openpyxl_sheets(data)
        return
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_object(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except python_calamine.PasswordError:
        raise ImportFileError(
            _("Tệp được đặt mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại.")
        ) from None
    except Exception:  # calamine raises its own errors and plain ones for broken XML
        raise ImportFileError(_("Tệp .xlsx bị hỏng, không mở được.")) from None
    ordered = sorted(
        (m for m in metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet),
        key=lambda m: m.visible != python_calamine.SheetVisibleEnum.Visible,
    )
    for meta in ordered:
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except Exception:
            raise ImportFileError(_("Tệp .xlsx bị hỏng, không mở được.")) from None
        if sheet.height * sheet.width > limits.max_cells:
            raise too_many_cells(meta.name, sheet.height, sheet.width, limits)
        yield Sheet(meta.name, _calamine_rows(sheet))


def _calamine_rows(sheet) -> Rows:
    # calamine's rows start at row 1 but at the first used column: pad them back to column A.
    pad = [""] * sheet.start[1] if sheet.start else []
    try:
        for row in sheet.iter_rows():
            yield pad + row if pad else row
    except Exception:
        raise ImportFileError(_("Tệp .xlsx bị hỏng, không đọc hết được.")) from None


def _openpyxl_sheets(data: bytes) -> Iterator[Sheet]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("Tệp .xlsx bị hỏng, không mở được.")) from None
    sheets = sorted(workbook.worksheets, key=lambda s: s.sheet_state != "visible")
    for sheet in sheets:
        yield Sheet(sheet.title, _openpyxl_rows(sheet))


def _openpyxl_rows(sheet) -> Rows:
    try:
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    except Exception:
        raise ImportFileError(_("Tệp .xlsx bị hỏng, không đọc hết được.")) from None


def csv_sheet(data: bytes) -> Sheet:
    """The rows of a UTF-8 CSV (with or without BOM), separated by , ; or tab."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            raise ImportFileError(
                _(
                    "Tệp CSV không ở mã UTF-8. Trong Excel hãy chọn Lưu thành › "
                    "“CSV UTF-8 (phân cách bằng dấu phẩy)”."
                )
            ) from None
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return Sheet("CSV", _csv_rows(text, dialect))


def _csv_rows(text: str, dialect) -> Rows:
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error:
        raise ImportFileError(_("Tệp CSV sai cấu trúc, không đọc được.")) from None
