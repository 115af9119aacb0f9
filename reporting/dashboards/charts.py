"""Chart.js configurations drawn from a dashboard table's own rows (the script
`static/reporting/charts.js` reads them from the JSON beside each table), so a chart never
disagrees with the table beside it."""

from __future__ import annotations

from .tables import NUMBER, Table

# Colours follow the status badges of app.css.
STATUS_COLOURS = {
    "done": "#1f7a3d",
    "in_progress": "#e0a030",
    "delayed": "#b3261e",
    "not_started": "#9aa5b1",
    "cancelled": "#4a5561",
}
# A province's plan state (`figures.PlanRow.state`), worst first.
STATE_COLOURS = {
    "not_submitted": "#b3261e",
    "not_approved": "#e0a030",
    "approved": "#1f7a3d",
    "no_program": "#d8dee6",
}


def bar_chart(
    table: Table,
    series: list[tuple[int, str]],
    *,
    stacked: bool = False,
    horizontal: bool = False,
    label_column: int = 0,
    percent: bool = False,
) -> dict:
    """A Chart.js bar chart of some numeric columns of `table` (column index, colour)."""
    return {
        "type": "bar",
        "data": {
            "labels": [_short(row[label_column].value) for row in table.rows],
            "datasets": [
                {
                    "label": table.columns[index].label,
                    "data": [_number(row[index].value) for row in table.rows],
                    "backgroundColor": colour,
                }
                for index, colour in series
            ],
        },
        "stacked": stacked,
        "horizontal": horizontal,
        "percent": percent,
        # Counts: the axis steps by whole numbers (no "0,5 hoạt động").
        "whole": _counts(table, [index for index, _colour in series]),
    }


def doughnut_chart(table: Table, value_column: int, colours: list[str]) -> dict:
    return {
        "type": "doughnut",
        "data": {
            "labels": [str(row[0].value) for row in table.rows],
            "datasets": [
                {
                    "label": table.columns[value_column].label,
                    "data": [_number(row[value_column].value) for row in table.rows],
                    "backgroundColor": colours[: len(table.rows)],
                }
            ],
        },
    }


def _counts(table: Table, columns: list[int]) -> bool:
    """The columns are numbers and every value in them is whole."""
    return all(table.columns[i].kind == NUMBER for i in columns) and all(
        row[i].value is None or row[i].value == "" or float(row[i].value).is_integer()
        for row in table.rows
        for i in columns
    )


def _short(value, length: int = 34) -> str:
    """A chart label short enough to leave room for the bars (the table has it whole)."""
    text = str(value)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _number(value):
    if value is None or value == "":
        return None
    return float(value)
