"""Cooperative lists written the way provinces write them, generated with openpyxl for the tests
and the benchmark: title rows, a two-row header with merged group cells, aliases and units in
the headers, numbers, dates and yes/no in every form, a totals row and the signature block."""

import io
import unicodedata
import zipfile
from collections.abc import Iterable

import openpyxl

# The layout of a typical provincial list: (group over the column or None, header).
MESSY_COLUMNS: list[tuple[str | None, str]] = [
    (None, "STT"),
    (None, "Mã số thuế"),
    (None, "Tên hợp tác xã"),
    (None, "Loại hình"),
    ("Địa chỉ", "Xã"),
    ("Địa chỉ", "Tỉnh"),
    (None, "Quận/huyện"),
    (None, "Ngày cấp GCN"),
    (None, "Giám đốc"),
    (None, "SĐT"),
    ("Số thành viên", "Tổng số"),
    ("Số thành viên", "Trong đó DTTS"),
    (None, "Lĩnh vực hoạt động"),
    (None, "Vốn điều lệ (triệu đồng)"),
    (None, "Doanh thu (tỷ đồng)"),
    (None, "Xếp loại"),
    (None, "Số sao OCOP"),
    (None, "VietGAP"),
    (None, "Hữu cơ"),
    (None, "Ứng dụng công nghệ cao"),
    (None, "Chuyển đổi số"),
    (None, "Thương mại điện tử"),
    (None, "Vùng DTTS và MN"),
    (None, "Ghi chú"),
    (None, "Mã bưu chính"),
]


def messy_row(number: int, **overrides) -> list:
    """One data row for MESSY_COLUMNS, in the forms the provinces use (overridable by header)."""
    values = {
        "STT": number,
        "Mã số thuế": f"{3800100000 + number:010d}",
        "Tên hợp tác xã": f"HTX Nông nghiệp số {number}",
        "Loại hình": "Hợp tác xã",
        "Xã": "Phú Nghĩa",
        "Tỉnh": "Tỉnh Bình Phước",
        "Quận/huyện": "Bù Gia Mập",
        "Ngày cấp GCN": "12/03/2019",
        "Giám đốc": "Điểu Thị Nhung",
        "SĐT": "0912345678",
        "Tổng số": 30,
        "Trong đó DTTS": 12,
        "Lĩnh vực hoạt động": "Nông nghiệp",
        "Vốn điều lệ (triệu đồng)": "1.250,5",
        "Doanh thu (tỷ đồng)": "2,5",
        "Xếp loại": "Khá",
        "Số sao OCOP": "3 sao",
        "VietGAP": "x",
        "Hữu cơ": None,
        "Ứng dụng công nghệ cao": "có",
        "Chuyển đổi số": 0,
        "Thương mại điện tử": "✓",
        "Vùng DTTS và MN": "X",
        "Ghi chú": None,
        "Mã bưu chính": "67000",
    }
    values.update(overrides)
    return [values[header] for _group, header in MESSY_COLUMNS]


def messy_workbook(
    rows: Iterable[list],
    *,
    columns: list[tuple[str | None, str]] = MESSY_COLUMNS,
    title: bool = True,
    two_rows: bool = True,
    footer: bool = True,
    write_only: bool = False,
) -> bytes:
    """An .xlsx: title rows, the header (two rows with merged group cells when `two_rows`),
    the data, a totals row and the signature block."""
    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Danh sách") if write_only else workbook.active
    if not write_only:
        sheet.title = "Danh sách"
    top = 1
    if title:
        sheet.append(["UBND TỈNH ĐỒNG NAI"])
        sheet.append(["DANH SÁCH HỢP TÁC XÃ ĐANG HOẠT ĐỘNG NĂM 2024"])
        sheet.append([])
        top = 4
    if two_rows:
        upper, lower, previous = [], [], None
        for group, header in columns:
            if group:
                upper.append(group if group != previous else None)
                lower.append(header)
            else:
                upper.append(header)
                lower.append(None)
            previous = group
        sheet.append(upper)
        sheet.append(lower)
        if not write_only:
            _merge(sheet, columns, top)
    else:
        sheet.append([header for _group, header in columns])
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    if footer:
        sheet.append([None, "Tổng cộng", f"{count} HTX"])
        sheet.append([])
        sheet.append([None, "Người lập biểu", None, None, None, None, "Thủ trưởng đơn vị"])
        sheet.append([None, "(Ký, ghi rõ họ tên)", None, None, None, None, "(Ký tên, đóng dấu)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _merge(sheet, columns, top: int) -> None:
    index = 0
    while index < len(columns):
        group = columns[index][0]
        if group is None:
            sheet.merge_cells(
                start_row=top, start_column=index + 1, end_row=top + 1, end_column=index + 1
            )
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1][0] == group:
            end += 1
        sheet.merge_cells(start_row=top, start_column=index + 1, end_row=top, end_column=end + 1)
        index = end + 1


def simple_workbook(headers: list, rows: Iterable[list], *, start_cell: str = "A1") -> bytes:
    """A plain table: one header row, then the rows, starting at `start_cell`."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    start = sheet[start_cell]
    for r, values in enumerate([headers, *rows]):
        for c, value in enumerate(values):
            sheet.cell(row=start.row + r, column=start.column + c, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    headers: list, rows: Iterable[list], *, bom: bool = True, delimiter: str = ","
) -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def ods_workbook(headers: list, rows: Iterable[list]) -> bytes:
    """A LibreOffice .ods as LibreOffice writes one (mimetype first, stored), text cells only."""
    from xml.sax.saxutils import escape

    def cell(value) -> str:
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    table = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
        for row in [headers, *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Danh sách">'
        f"{table}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xls_workbook(headers: list, rows: Iterable[list]) -> bytes:
    """A minimal Excel 97–2003 .xls (BIFF8 in an OLE compound file), text cells only: enough
    for the readers, which real provincial files exercise further."""
    import struct

    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    def bof(kind: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0206))

    table = [headers, *rows]
    cells = b"".join(
        record(0x0204, struct.pack("<HHHHB", r, c, 0, len(str(v)), 1) + str(v).encode("utf-16-le"))
        for r, row in enumerate(table)
        for c, v in enumerate(row)
    )
    width = max(len(row) for row in table)
    sheet = (
        bof(0x0010)
        + record(0x0200, struct.pack("<IIHHH", 0, len(table), 0, width, 0))
        + cells
        + record(0x000A, b"")
    )
    name = "Danh sach".encode("latin-1")

    def globals_(offset: int) -> bytes:
        boundsheet = struct.pack("<IHBB", offset, 0, len(name), 0) + name
        return bof(0x0005) + record(0x0085, boundsheet) + record(0x000A, b"")

    head = globals_(0)
    stream = globals_(len(head)) + sheet
    stream += b"\x00" * (4096 - len(stream) % 4096 if len(stream) < 4096 else -len(stream) % 512)
    sectors = len(stream) // 512
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    fat = [0xFFFFFFFD] + [i + 1 for i in range(1, sectors)] + [end, end]
    fat += [free] * (128 - len(fat))
    directory_sector = sectors + 1
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, directory_sector, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, free, child)
            + b"\x00" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry("Workbook", 2, free, 1, len(stream))
        + entry("", 0, free, 0, 0) * 2
    )
    return header + struct.pack("<128I", *fat) + stream + directory
