"""A dashboard table as the cache keeps it, and the query strings behind its numbers."""

import pickle
from decimal import Decimal

from reporting.dashboards.forms import query_string
from reporting.dashboards.tables import NUMBER, Cell, Column, Table
from reporting.figures import Filters


def test_a_table_comes_back_from_the_cache_as_it_was_built():
    table = Table(key="t", title="Bảng", columns=[Column("Tên"), Column("Số", NUMBER)])
    table.add(Cell("An <b>Giang</b>", "/a?x=1&y=2", css="met"), Cell(Decimal("12.5")))
    table.add("Đồng Nai", None)
    table.set_footer(Cell("Cộng"), Cell(3, "/b"))
    back = pickle.loads(pickle.dumps(table, pickle.HIGHEST_PROTOCOL))  # noqa: S301 - our own
    assert back == table
    assert all(type(cell) is Cell for row in back.rows for cell in row)
    assert back.footer == [Cell("Cộng"), Cell(3, "/b")]
    table.footer = None
    assert pickle.loads(pickle.dumps(table)).footer is None  # noqa: S301 - our own bytes


def test_a_link_writes_each_extra_value_as_given():
    """The extra keys are encoded once per process: 1 and True (equal as keys) stay apart."""
    filters = Filters(years=(2026,))
    assert query_string(filters, overdue=1) == "year=2026&overdue=1"
    assert query_string(filters, overdue=True) == "year=2026&overdue=True"
    assert query_string(filters, sector="Nông nghiệp & thủy sản") == (
        "year=2026&sector=N%C3%B4ng+nghi%E1%BB%87p+%26+th%E1%BB%A7y+s%E1%BA%A3n"
    )
    assert query_string(filters, sector="", status=None) == "year=2026"
    assert query_string(filters, year=2025) == "year=2025"
