"""Finding the table in a sheet as the provinces lay it out.

The header is looked for in the first 20 rows (title rows such as "UBND TỈNH …" come first); it
may take two rows, a merged group cell ("Số thành viên") over its sub-columns ("Tổng số",
"Trong đó DTTS"). The result is a `tablib.Dataset` with our own column headers (so the
django-import-export resource reads any file the same way) and a `Layout` that remembers, for
every dataset row and column, the Excel row number and the header as written.
"""

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.text import clean_text

from .files import ImportFileError, Limits, Sheet, too_many_cells
from .headers import (
    BY_FIELD,
    FOOTER_ROW,
    IGNORED,
    TOTAL_ROW,
    field_for,
    header_key,
    scale_for,
)
from .values import has_value, is_blank

HEADER_SEARCH_ROWS = 20
_REQUIRED = ("registration_code", "name")
# A row of column numbers under the header: "(1)", "2", "A", "B"…
_NUMBERING = re.compile(r"^\(?([0-9]{1,2}|[A-Z])\)?$")
_SECTION = re.compile(r"^([IVXLC]+|[A-Z])\.?$")


@dataclass
class SourceColumn:
    index: int  # 0-based
    header: str  # as written, "Số thành viên › Tổng số" for a sub-column
    field: str | None = None
    note: str = ""  # why an unmapped column is left out

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class Layout:
    sheet: str = ""
    header_rows: tuple[int, ...] = ()
    columns: list[SourceColumn] = field(default_factory=list)
    scales: dict[str, Decimal] = field(default_factory=dict)
    row_numbers: list[int] = field(default_factory=list)
    skipped: int = 0
    # (Excel row, why) for each skipped row that has something in it; the rest are blank.
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)

    @property
    def by_field(self) -> dict[str, SourceColumn]:
        return {c.field: c for c in self.columns if c.field}

    @property
    def ignored(self) -> list[SourceColumn]:
        return [c for c in self.columns if not c.field]

    def column_label(self, field_name: str) -> str:
        """'C “Mã HTX”' for the column a field was read from, or our header if absent."""
        column = self.by_field.get(field_name)
        if column:
            return f"{column.letter} “{column.header}”"
        known = BY_FIELD.get(field_name)
        return f"“{known.header}”" if known else ""


def _text(value) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def _cell(row: list, index: int):
    return row[index] if index < len(row) else None


def _map_columns(top: list, sub: list | None) -> list[SourceColumn]:
    """Map each column to a field; with a sub-row, a group cell is carried over the blank
    cells to its right that have a sub-header under them (the merged area)."""
    width = max(len(top), len(sub or []))
    columns: list[SourceColumn] = []
    seen: dict[str, SourceColumn] = {}
    group = ""
    for index in range(width):
        own = _text(_cell(top, index))
        below = _text(_cell(sub, index)) if sub is not None else ""
        if own:
            group = own
        elif not below:
            group = ""
        if sub is not None and below:
            parent = own or group
            spans = bool(own) and not _text(_cell(sub, index + 1)) or not parent
            found = field_for(below, parent) or (field_for(parent) if spans else None)
            header = f"{parent} › {below}" if parent else below
        else:
            found, header = field_for(own), own
        if not header:
            continue
        column = SourceColumn(index=index, header=header, field=found)
        if found in seen:
            column.field = None
            column.note = _("trùng với cột %(letter)s") % {"letter": seen[found].letter}
        elif found:
            seen[found] = column
        elif header_key(below or own) in IGNORED:
            column.note = _("số thứ tự")
        else:
            column.note = _("không nhận ra tên cột")
        columns.append(column)
    return columns


def _score(columns: list[SourceColumn]) -> int:
    return sum(1 for c in columns if c.field)


def _all_text(row: list) -> bool:
    values = [v for v in row if not is_blank(v)]
    return bool(values) and all(isinstance(v, str) for v in values)


def _continues_a_group(top: list, below: list) -> bool:
    """Some sub-header sits under a blank cell to the right of a filled one: the blank is
    part of a merged group cell."""
    started = False
    for index in range(len(below)):
        own = _text(_cell(top, index))
        started = started or bool(own)
        if started and not own and _text(_cell(below, index)):
            return True
    return False


def find_header(head: list[list]) -> tuple[int, bool, list[SourceColumn]]:
    """The header's row index in `head`, whether it takes two rows, and its columns: the row
    (or pair of rows) naming the most known columns; a pair whose lower row continues merged
    group cells wins a tie."""
    best_rank: tuple[int, int] = (-1, 0)
    best: tuple[int, bool, list[SourceColumn]] = (0, False, [])
    for index, row in enumerate(head[:HEADER_SEARCH_ROWS]):
        single = _map_columns(row, None)
        candidates = [((_score(single), 0), False, single)]
        below = head[index + 1] if index + 1 < len(head) else None
        if below is not None and _all_text(below):
            double = _map_columns(row, below)
            grouped = 1 if _continues_a_group(row, below) else -1
            candidates.append(((_score(double), grouped), True, double))
        for rank, two_rows, columns in candidates:
            if rank > best_rank:
                best_rank, best = rank, (index, two_rows, columns)
    if best_rank[0] < 2:
        raise ImportFileError(
            _(
                "Không tìm thấy dòng tiêu đề (tên các cột như “Mã số HTX”, “Tên HTX”) trong "
                "%(rows)s dòng đầu của trang tính."
            )
            % {"rows": HEADER_SEARCH_ROWS}
        )
    return best


def first_text(row: list) -> str:
    """The first cell holding words (not a number), lower-cased NFC."""
    for value in row:
        if isinstance(value, str):
            text = clean_text(value)
            if text and not text.replace(".", "").replace(",", "").isdigit():
                return text.lower()
    return ""


def read_table(sheets, limits: Limits) -> tuple[tablib.Dataset, Layout]:
    """The first sheet that has a recognisable header, as a dataset and its layout."""
    problem = None
    for sheet in sheets:
        try:
            return _read_sheet(sheet, limits)
        except ImportFileError as error:
            if problem is None:
                problem = error
    raise problem or ImportFileError(_("Tệp không có trang tính nào."))


def _read_sheet(sheet: Sheet, limits: Limits) -> tuple[tablib.Dataset, Layout]:
    head: list[list] = []
    for row in sheet.rows:
        head.append(row)
        if len(head) > HEADER_SEARCH_ROWS + 1:
            break
    header_index, two_rows, columns = find_header(head)
    mapped = [c for c in columns if c.field]
    missing = [BY_FIELD[f].header for f in _REQUIRED if f not in {c.field for c in mapped}]
    if missing:
        raise ImportFileError(
            _("Không tìm thấy cột %(columns)s trong dòng tiêu đề (dòng %(row)s).")
            % {
                "columns": ", ".join(f"“{name}”" for name in missing),
                "row": header_index + 1,
            }
        )
    header_end = header_index + (2 if two_rows else 1)  # rows before the data, 0-based count
    layout = Layout(
        sheet=sheet.name,
        header_rows=tuple(range(header_index + 1, header_end + 1)),
        columns=columns,
        scales={
            c.field: scale_for(c.field, c.header.split(" › ")[-1], c.header.split(" › ")[0])
            for c in mapped
        },
    )
    data: list[list] = []
    indexes = [c.index for c in mapped]
    # The mapped cells of a row as wide as the header (most rows), at C speed.
    pick = operator.itemgetter(*indexes)
    needed = max(indexes) + 1
    code_index = next(c.index for c in mapped if c.field == "registration_code")
    ignored_indexes = [c.index for c in columns if not c.field]

    def rows():
        yield from enumerate(head[header_end:], start=header_end + 1)
        yield from enumerate(sheet.rows, start=len(head) + 1)

    last_used = header_end
    ended = False
    # Rows × the widest row read so far: the size checks made before the file was opened
    # (`files.check_archive`) confirmed while reading, and the only one a CSV gets.
    width = max((len(row) for row in head), default=0)
    skip = layout.skipped_rows.append
    for number, row in rows():
        size = len(row)
        if size > width:
            width = size
        if number * width > limits.max_cells:
            raise too_many_cells(sheet.name, number, width, limits)
        if not has_value(row):
            continue
        last_used = number
        if ended:
            skip((number, _("sau phần ký tên, ghi chú cuối bảng")))
            continue
        values = list(pick(row)) if size >= needed else [_cell(row, i) for i in indexes]
        if not has_value(values):
            skip((number, _("không có dữ liệu ở các cột được nhập")))
            continue
        text = first_text(row)
        if FOOTER_ROW.match(text):
            ended = True
            skip((number, _("phần ký tên, ghi chú cuối bảng")))
            continue
        if TOTAL_ROW.match(text):
            skip((number, _("dòng tổng cộng")))
            continue
        if number == header_end + 1 and _column_numbers(values):
            skip((number, _("dòng đánh số cột")))
            continue
        if is_blank(_cell(row, code_index)) and _section_heading(row, values, ignored_indexes):
            skip((number, _("dòng tiêu đề nhóm")))
            continue
        if len(data) >= limits.max_rows:
            raise ImportFileError(
                _("Tệp có hơn %(limit)s dòng dữ liệu; hãy chia thành nhiều tệp.")
                % {"limit": f"{limits.max_rows:,}".replace(",", ".")}
            )
        data.append(values)
        layout.row_numbers.append(number)
    layout.skipped = last_used - header_end - len(data)
    # Made from all the rows at once: `Dataset.append` checks each row's width again.
    dataset = tablib.Dataset(*data, headers=[BY_FIELD[c.field].header for c in mapped])
    dataset.layout = layout
    return dataset, layout


def _column_numbers(values: list) -> bool:
    filled = [clean_text(str(v)) for v in values if not is_blank(v)]
    return len(filled) >= 3 and all(_NUMBERING.match(v) for v in filled)


def _section_heading(row: list, values: list, ignored_indexes: list[int]) -> bool:
    """'I. HUYỆN BÙ ĐĂNG' above a group of rows: one filled cell, or a Roman numeral or a
    letter in the number column."""
    if sum(1 for v in row if not is_blank(v)) == 1:
        return True
    return any(
        isinstance(_cell(row, i), str) and _SECTION.match(clean_text(_cell(row, i)))
        for i in ignored_indexes
    )
