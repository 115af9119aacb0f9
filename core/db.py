"""A Vietnamese collation named `vi` on both databases, so ORDER BY puts 'Đà Nẵng' after 'Dương'
and before 'Gia Lai' (code-point order would put Đ after Y).

PostgreSQL: an ICU collation created by migration agencies/0003_vi_collation.
SQLite: a Python collation registered on every new connection (core.apps)."""

from functools import lru_cache

from django.db.models import F
from django.db.models.functions import Collate

from .text import vi_sort_key

VI_COLLATION = "vi"


def vi_order(field: str, *, descending: bool = False):
    """An ordering expression on `field` in Vietnamese order: `qs.order_by(vi_order("name"))`."""
    expression = Collate(F(field), VI_COLLATION)
    return expression.desc() if descending else expression.asc()


@lru_cache(maxsize=200_000)
def _cached_key(value: str) -> tuple:
    return vi_sort_key(value)


def _compare(left: str, right: str) -> int:
    a, b = _cached_key(left), _cached_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """connection_created receiver: teach SQLite the `vi` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, _compare)
