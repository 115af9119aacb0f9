"""Dashboard table rendering. A national overview has a few thousand cells, so the table body
is written here in Python (escaped with `conditional_escape`) rather than by nested template
loops, which took several times longer. Numbers are formatted the Vietnamese way."""

import html
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core.formatting import number_formatter
from reporting.dashboards.tables import Cell, Table

register = template.Library()


def _escape(value) -> str:
    """`conditional_escape`, with plain text escaped by `html.escape` directly: the same text
    (Django's `escape` is `html.escape` marked safe) without its lazy-string wrapper, which
    cost more than the escaping over the 3,000 cells of a national overview."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


def _cell(cell: Cell, numeric: bool, tag: str, formatted) -> str:
    """One cell: grouped numbers (`formatted`, `core.formatting.number_formatter`) in numeric
    columns (`numeric`: the column's, looked up once per table), escaped text otherwise; its
    link or badge."""
    value = cell.value
    if value is None or value == "":
        shown = ""
    elif numeric:
        # A number comes out as digits, a sign and the language's separators: nothing to
        # escape; text someone put in a numeric column is escaped as any text.
        shown = formatted(value)
        if isinstance(value, str):
            shown = _escape(shown)
    else:
        shown = _escape(value)
    css = cell.css
    if cell.url and shown:
        shown = f'<a href="{_escape(cell.url)}">{shown}</a>'
    elif css and not numeric and shown:
        shown = f'<span class="badge {_escape(css)}">{shown}</span>'
    if numeric:
        return f'<{tag} class="{_escape(f"num {css}") if css else "num"}">{shown}</{tag}>'
    if css:
        return f'<{tag} class="{_escape(css)}">{shown}</{tag}>'
    return f"<{tag}>{shown}</{tag}>"


@register.simple_tag
def table_html(table: Table):
    """The `<table>` of a dashboard table: header, rows with their links, footer; with
    `group_column`, that column becomes a heading row above each group."""
    group = table.group_column
    formatted = number_formatter()  # the same as `number`, the formats looked up once
    shown = [i for i in range(len(table.columns)) if i != group]
    numeric = [(i, table.columns[i].numeric) for i in shown]
    head = "".join(
        format_html(
            "<th{}>{}</th>",
            mark_safe(' class="num"') if table.columns[i].numeric else "",
            table.columns[i].label,
        )
        for i in shown
    )
    parts = [
        format_html('<table class="table dash-table" data-table="{}">', table.key),
        f"<thead><tr>{head}</tr></thead><tbody>",
    ]
    current = object()
    for row in table.rows:
        if group is not None and row[group].value != current:
            current = row[group].value
            parts.append(
                format_html('<tr class="group"><th colspan="{}">{}</th></tr>', len(shown), current)
            )
        cells = "".join([_cell(row[i], num, "td", formatted) for i, num in numeric])
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody>")
    if table.footer:
        cells = "".join([_cell(table.footer[i], num, "th", formatted) for i, num in numeric])
        parts.append(f"<tfoot><tr>{cells}</tr></tfoot>")
    parts.append("</table>")
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


@register.simple_tag
def program_url(pk: int) -> str:
    """`{% url 'reporting:program' pk %}`, each program's path reversed once per process (the
    overview links the 35 programs it counts: a `reverse()` each cost a fifth of its body)."""
    return _program_path(pk, get_script_prefix())


@lru_cache(maxsize=1024)
def _program_path(pk: int, script_prefix: str) -> str:
    return reverse("reporting:program", args=[pk])


@register.simple_tag(takes_context=True)
def may_oversee(context) -> bool:
    """Whether to link "who has reported" on the overview and the reports index: central
    readers and managers or admins of an agency (the roles `overseen_programs` follows), from
    the access already worked out for the request, without a query. The page itself asks
    `program_policy`'s OVERSEE."""
    from agencies.access import access_for

    access = access_for(context["request"].user)
    return access.reads_everything or bool(access.manager_agency_ids | access.admin_agency_ids)
