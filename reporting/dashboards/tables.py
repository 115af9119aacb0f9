"""Plain tables for dashboards, and their `.xlsx` writer.

A `Table` is data only: a title, typed columns and rows of cells (a value and the URL of the list
behind it). The HTML (`templatetags/dashboard.py`, through the partial
`reporting/dashboards/partials/_table.html`), the chart script and `table_xlsx()` all read the
same object, so a chart, the table beside it and its download never disagree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.text import slugify
from openpyxl.styles import Alignment, Font

from core.text import search_key
from core.xlsx import MONEY_FORMAT, Workbook, sheet_title

# Column kinds: how a value is shown and typed in Excel.
TEXT, NUMBER, MONEY, PERCENT = "text", "number", "money", "percent"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


class Cell:
    """A value and the URL of the list behind it (`css`: a class for the HTML cell). Never
    changed once made.

    A plain class with slots rather than a frozen dataclass: a national overview makes some
    3,000 cells, and a frozen dataclass's `__init__` (an `object.__setattr__` per field) cost
    three times as long."""

    __slots__ = ("value", "url", "css")

    def __init__(self, value: Any, url: str = "", css: str = "") -> None:
        self.value = value
        self.url = url
        self.css = css

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Cell:
            return NotImplemented
        return (self.value, self.url, self.css) == (other.value, other.url, other.css)

    def __hash__(self) -> int:
        return hash((self.value, self.url, self.css))

    def __repr__(self) -> str:
        return f"Cell(value={self.value!r}, url={self.url!r}, css={self.css!r})"

    def __reduce__(self):
        # A built dashboard is cached (pickled) with its 3,000 cells: pickled as a plain
        # constructor call they take half the time of a default state.
        return (Cell, (self.value, self.url, self.css))


@dataclass
class Table:
    """`key` names the table in URLs (`?xlsx=<key>`); `chart` is an optional Chart.js
    configuration built from the same rows (see `charts`)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    footer: list[Cell] | None = None
    chart: dict | None = None
    note: str = ""
    # Rows are grouped under a heading row whenever this column's value changes (HTML only).
    group_column: int | None = None

    def __getstate__(self) -> dict:
        # A built dashboard is cached (pickled) with its 3,000 cells: as plain tuples, which
        # pickle writes in C, rather than a `Cell.__reduce__` call each (6 → 2 ms a national
        # overview, docs/benchmarks.md "fifth pass").
        state = self.__dict__.copy()
        state["rows"] = [[(c.value, c.url, c.css) for c in row] for row in self.rows]
        if self.footer is not None:
            state["footer"] = [(c.value, c.url, c.css) for c in self.footer]
        return state

    def __setstate__(self, state: dict) -> None:
        state["rows"] = [[Cell(*cell) for cell in row] for row in state["rows"]]
        if state["footer"] is not None:
            state["footer"] = [Cell(*cell) for cell in state["footer"]]
        self.__dict__.update(state)

    @property
    def wide(self) -> bool:
        """Tables of more than four columns take the full width, their chart above them."""
        return len(self.columns) > 4

    def add(self, *cells: Cell | Any) -> None:
        self.rows.append([c if isinstance(c, Cell) else Cell(c) for c in cells])

    def set_footer(self, *cells: Cell | Any) -> None:
        self.footer = [c if isinstance(c, Cell) else Cell(c) for c in cells]

    @property
    def body(self) -> list[list[tuple[Cell, Column]]]:
        """Rows as (cell, column) pairs, for templates."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]

    @property
    def foot(self) -> list[tuple[Cell, Column]]:
        return list(zip(self.footer, self.columns, strict=True)) if self.footer else []

    @property
    def filename(self) -> str:
        # Letters, digits and hyphens only: a comma or parenthesis breaks some mail clients
        # and Windows shares.
        return f"{slugify(search_key(self.title))[:80].rstrip('-') or self.key}.xlsx"

    @property
    def sheet_title(self) -> str:
        """At most the 31 characters Excel allows, cut between words (`core.xlsx.sheet_title`)."""
        return sheet_title(self.title, self.key)


def _excel_value(value: Any, kind: str):
    if value is None or value == "":
        return None
    if kind == PERCENT:
        return float(Decimal(value) / 100)
    if kind in (NUMBER, MONEY):
        return int(value) if isinstance(value, int) or value == int(value) else float(value)
    if isinstance(value, int | datetime.date):  # a year or a date stays a number / date
        return value
    return str(value)


_FORMATS = {NUMBER: "#,##0.##", MONEY: MONEY_FORMAT, PERCENT: "0.0%"}


def table_xlsx(table: Table, *, subtitle: str = "") -> bytes:
    """The table as a one-sheet workbook: title row, optional subtitle (the filters), header,
    rows, footer. Numbers are real numbers with a grouping format, so Excel shows them in the
    reader's own locale (1.250.000 on a Vietnamese Windows); text goes through `core.xlsx`,
    which escapes what a spreadsheet would run as a formula."""
    workbook = Workbook()
    sheet = workbook.sheet(table.sheet_title)
    body = [*table.rows, *([table.footer] if table.footer else [])]
    sheet.set_widths(
        min(max(max([len(column.label)] + [len(str(r[i].value or "")) for r in body]) + 2, 8), 60)
        for i, column in enumerate(table.columns)
    )
    sheet.append([sheet.cell(table.title, font=Font(bold=True, size=13))])
    if subtitle:
        sheet.append([subtitle])
    sheet.append([])
    head = Alignment(wrap_text=True, vertical="top")
    sheet.append(sheet.cell(c.label, font=Font(bold=True), alignment=head) for c in table.columns)
    for row in body:
        font = Font(bold=True) if table.footer is row else None
        sheet.append(
            sheet.cell(
                _excel_value(c.value, col.kind), font=font, number_format=_FORMATS.get(col.kind)
            )
            for c, col in zip(row, table.columns, strict=True)
        )
    return workbook.to_bytes()
