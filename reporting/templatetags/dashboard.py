"""Dashboard table rendering. A national overview has a few thousand cells, so the table body
is written here in Python (escaped with `conditional_escape`) rather than by nested template
loops, which took several times longer. Numbers are formatted the Vietnamese way."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core.templatetags.vn import number
from reporting.tables import TEXT, Cell, Column, Table

register = template.Library()


@register.filter
def cell_value(cell: Cell, column: Column):
    """A cell's value as shown: grouped numbers for numeric columns, text otherwise."""
    value = cell.value
    if value is None or value == "":
        return ""
    if column.kind != TEXT:
        return number(value)
    return value


def _cell(cell: Cell, column: Column, tag: str) -> str:
    shown = conditional_escape(cell_value(cell, column))
    classes = " ".join(c for c in ("num" if column.numeric else "", cell.css) if c)
    if cell.url and shown:
        shown = f'<a href="{conditional_escape(cell.url)}">{shown}</a>'
    elif cell.css and not column.numeric and shown:
        shown = f'<span class="badge {conditional_escape(cell.css)}">{shown}</span>'
    css = f' class="{conditional_escape(classes)}"' if classes else ""
    return f"<{tag}{css}>{shown}</{tag}>"


@register.simple_tag
def table_html(table: Table):
    """The `<table>` of a dashboard table: header, rows with their links, footer."""
    head = "".join(
        format_html("<th{}>{}</th>", mark_safe(' class="num"') if c.numeric else "", c.label)
        for c in table.columns
    )
    parts = [
        format_html('<table class="table dash-table" data-table="{}">', table.key),
        f"<thead><tr>{head}</tr></thead><tbody>",
    ]
    for row in table.rows:
        cells = "".join(_cell(c, col, "td") for c, col in zip(row, table.columns, strict=True))
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody>")
    if table.footer:
        cells = "".join(
            _cell(c, col, "th") for c, col in zip(table.footer, table.columns, strict=True)
        )
        parts.append(f"<tfoot><tr>{cells}</tr></tfoot>")
    parts.append("</table>")
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped
