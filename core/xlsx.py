"""The one .xlsx writer of the app: every workbook a page or a job hands out is written through
`Workbook`, whose sheets put each value through `safe_value`.

Text a spreadsheet would run as a formula (OWASP's CSV injection guidance: a cell beginning with
=, +, -, @, a tab or a carriage return) gets a leading apostrophe, so a title such as
"=HYPERLINK(…)" typed into a form is shown as text, never evaluated; the cooperative importer
takes the apostrophe off again (`cooperatives.importer.values.unescape`). Only text is escaped:
numbers (negative ones too), dates and booleans stay typed values. Characters XML cannot hold
(control characters pasted from other software) are dropped instead of failing the download.

Workbooks are write-only (openpyxl streams the rows), so memory stays flat for tens of thousands
of rows; styles go on the cells made with `Sheet.cell`."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0"
# Characters Excel refuses in a sheet's title, and the length it allows.
_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
SHEET_TITLE_LENGTH = 31


def sheet_title(title: str, fallback: str = "Sheet", *, length: int = SHEET_TITLE_LENGTH) -> str:
    """`title` as a sheet's name: without the characters Excel refuses, and at most `length`
    (31) characters cut between words ("Kết quả thực hiện các nội dung…" → "Kết quả thực hiện
    các nội"), never in the middle of one; a single longer word is cut where it must be."""
    title = " ".join(title.translate(_TITLE_FORBIDDEN).split())
    if len(title) > length:
        cut = title[: length + 1].rsplit(" ", 1)[0].rstrip(" ,;-–(")
        title = cut if " " in title[: length + 1] else title[:length]
    return title or fallback


def safe_value(value: Any) -> Any:
    """`value` as it may go into a cell: text without XML-illegal characters and, when it starts
    like a formula, behind an apostrophe; anything else (numbers, dates, None) unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class Sheet:
    """A write-only worksheet whose cells all pass through `safe_value`. Layout attributes
    (`column_dimensions`, `freeze_panes`, `page_setup`, `title`…) are the worksheet's own."""

    def __init__(self, worksheet) -> None:
        object.__setattr__(self, "worksheet", worksheet)

    def __getattr__(self, name: str):
        return getattr(self.worksheet, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self.worksheet, name, value)

    def cell(self, value: Any, **style) -> WriteOnlyCell:
        """A styled cell (font, fill, border, alignment, number_format) holding `value`."""
        cell = WriteOnlyCell(self.worksheet, value=safe_value(value))
        for name, setting in style.items():
            if setting is not None:
                setattr(cell, name, setting)
        return cell

    def append(self, values: Iterable[Any]) -> None:
        """One row: plain values or cells from `cell()` (a cell made elsewhere is escaped
        too)."""
        row = []
        for value in values:
            if isinstance(value, Cell):
                if isinstance(value.value, str):
                    value.value = safe_value(value.value)
            else:
                value = safe_value(value)
            row.append(value)
        self.worksheet.append(row)

    def set_widths(self, widths: Iterable[float]) -> None:
        """Column widths from column A on (before the first row: write-only sheets)."""
        for index, width in enumerate(widths, start=1):
            self.worksheet.column_dimensions[get_column_letter(index)].width = width


class Workbook:
    """A write-only workbook: `sheet(title)` adds a sheet, `to_bytes()` saves it."""

    def __init__(self) -> None:
        self.book = openpyxl.Workbook(write_only=True)
        self.titles: set[str] = set()

    def sheet(self, title: str) -> Sheet:
        """A new sheet named `title`, cut between words to fit (`sheet_title`), and unique:
        Excel refuses two sheets whose names differ only in case, and two long task-area names
        may cut to the same words, so a repeated name gets " (2)", " (3)"… within 31
        characters."""
        name = base = sheet_title(str(title))
        number = 1
        while name.casefold() in self.titles:
            number += 1
            suffix = f" ({number})"
            name = sheet_title(base, length=SHEET_TITLE_LENGTH - len(suffix)) + suffix
        self.titles.add(name.casefold())
        return Sheet(self.book.create_sheet(name))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()
