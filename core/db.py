"""Database plumbing shared by every app.

A Vietnamese collation named `vi` on both databases, so ORDER BY puts 'Đà Nẵng' after 'Dương'
and before 'Gia Lai' (code-point order would put Đ after Y).
PostgreSQL: an ICU collation created by migration agencies/0003_vi_collation.
SQLite: a Python collation registered on every new connection (core.apps).

`IntegerFieldIn`: an `in` lookup on integer columns that ignores values no such column can hold
(registered by core.apps)."""

from copy import copy
from functools import lru_cache

from django.db.models import F
from django.db.models.functions import Collate
from django.db.models.lookups import In

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


class IntegerFieldIn(In):
    """`in` on an integer column, leaving out the values no such column can hold.

    An id typed as 18446744073709551616 into a multiple choice (`pk__in`, as Django's
    ModelMultipleChoiceField and the admin's widgets ask) matches no row; SQLite, whose integers
    stop at 64 bits, would fail with OverflowError instead (a 500). Django's own `exact`, `lt`,
    `gt`... lookups on integers already answer "no row" this way (IntegerFieldOverflow); `in`
    is the one it leaves out. Likewise a value that is no integer at all ("abc" as the initial
    value of an admin autocomplete, `?successor=abc`) matches no row instead of raising."""

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and not isinstance(self.rhs, str | bytes):
            field = self.lhs.output_field
            kept = []
            for value in self.rhs:
                if not hasattr(value, "resolve_expression"):
                    try:
                        field.get_prep_value(value)
                    except (TypeError, ValueError):
                        continue
                kept.append(value)
            self.rhs = kept
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            field_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(field_type)
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if len(kept) != len(self.rhs):
                lookup = copy(self)
                lookup.rhs = kept
                return super(IntegerFieldIn, lookup).process_rhs(compiler, connection)
        return super().process_rhs(compiler, connection)


def rejoin_search_keys(app_label: str, keys: list[tuple[str, tuple[str, ...]]]):
    """A data migration's function: `core.text.join_inner_punctuation` applied to the stored
    search-key columns `keys` ([(model name, (field, …)), …]) of `app_label`, which gives the
    keys `search_key` makes since it drops an apostrophe or hyphen inside a word."""
    from .text import join_inner_punctuation

    def recompute(apps, schema_editor):
        for model_name, fields in keys:
            model = apps.get_model(app_label, model_name)
            changed = []
            for row in model.objects.only("pk", *fields).iterator(chunk_size=2000):
                new = {f: join_inner_punctuation(getattr(row, f)) for f in fields}
                if any(getattr(row, f) != value for f, value in new.items()):
                    for f, value in new.items():
                        setattr(row, f, value)
                    changed.append(row)
            model.objects.bulk_update(changed, list(fields), batch_size=500)

    return recompute
