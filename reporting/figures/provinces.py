"""Provinces in the figures: every old unit rolls up into the current unit that carries it on,
national programs make the row "Trung ương", and rows are listed in Vietnamese order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Case, Expression, F, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from agencies.models import Province
from core.prepared import PreparedModels
from core.succession import last_successor
from core.text import vi_sort_key

from .tally import Tally


@dataclass(frozen=True)
class ProvinceRow:
    """A current provincial unit (None = national programs) with its rolled-up figures."""

    province_id: int | None
    code: str
    label: str
    tally: Tally = field(default_factory=Tally)
    cooperatives: int = 0


# Every dashboard request loads the provinces: their SQL compiled once per connection.
_PROVINCES = PreparedModels(lambda: Province.objects.all())


@dataclass(frozen=True)
class Units:
    """Every province with the current unit it rolls up into (one query, 97 rows)."""

    current_of: dict[int, int]
    units: dict[int, Province]

    @classmethod
    def load(cls) -> Units:
        provinces = {province.pk: province for province in _PROVINCES()}
        current_of = {
            pk: last_successor(province, successor_of=lambda p: provinces[p.successor_id]).pk
            for pk, province in provinces.items()
        }
        return cls(current_of=current_of, units=provinces)

    def row_key(self, province_id: int | None) -> int | None:
        return None if province_id is None else self.current_of[province_id]

    def label(self, province_id: int | None) -> tuple[str, str]:
        if province_id is None:
            return "", _("Trung ương")
        unit = self.units[province_id]
        return unit.code, unit.label

    def current_unit_expression(self, field_name: str) -> Expression:
        """SQL mapping a province id column (`<path>province_id`) to its current unit's id
        (NULL stays NULL): the province joined along its successors, the last one found first
        (`Coalesce`). That is one look-up a row, where a CASE over the old units compared each
        row with every one of them (three times as long for the national overview's
        cooperatives). A chain that loops (bad data, which `last_successor` stops on) gets the
        CASE."""
        depth = self._successor_depth()
        if depth is None:
            return self._current_unit_case(field_name)
        if depth == 0:
            return F(field_name)
        relation = field_name.removesuffix("_id")
        chain = [f"{relation}{'__successor' * hops}_id" for hops in range(depth, -1, -1)]
        return Coalesce(*chain, output_field=BigIntegerField())

    def _successor_depth(self) -> int | None:
        """The longest successor chain (0: no province has a successor); None when one loops."""
        longest = 0
        for pk in self.units:
            hops, seen = 0, {pk}
            while (pk := self.units[pk].successor_id) is not None:
                if pk in seen:
                    return None
                seen.add(pk)
                hops += 1
            longest = max(longest, hops)
        return longest

    def _current_unit_case(self, field_name: str) -> Case:
        moved: dict[int, list[int]] = defaultdict(list)
        for pk, unit_pk in self.current_of.items():
            if pk != unit_pk:
                moved[unit_pk].append(pk)
        whens = [
            When(**{f"{field_name}__in": olds}, then=Value(unit_pk))
            for unit_pk, olds in sorted(moved.items())
        ]
        return Case(*whens, default=F(field_name), output_field=BigIntegerField())

    def current_ids(self) -> list[int]:
        return [pk for pk, unit in self.units.items() if unit.valid_to is None]


def sorted_rows(rows: Iterable) -> list:
    """National row first, then provinces in Vietnamese alphabetical order."""
    return sorted(
        rows,
        key=lambda row: (row.province_id is not None, vi_sort_key(row.label)),
    )


def dashboard_provinces(
    programs: QuerySet, *, national: bool, units: Units | None = None
) -> list[int]:
    """The current units a dashboard lists: all 34 for a national reader, otherwise the units
    that the scope's programs roll up into."""
    units = units or Units.load()
    if national:
        return units.current_ids()
    ids = programs.exclude(province=None).order_by().values_list("province_id", flat=True)
    ids = ids.distinct()
    return sorted({units.current_of[pk] for pk in ids})


def province_rows(
    tallies: dict[tuple, Tally],
    coops: dict[int | None, int],
    provinces: Iterable[int] | None,
    units: Units,
) -> list[ProvinceRow]:
    """Merge tallies keyed by (..., current unit) into one row per unit."""
    merged: dict[int | None, Tally] = {pk: Tally() for pk in provinces or ()}
    for key, tally in tallies.items():
        unit = key[-1]
        merged[unit] = merged.get(unit, Tally()) + tally
    for unit in coops:
        merged.setdefault(unit, Tally())
    rows = []
    for key, tally in merged.items():
        code, label = units.label(key)
        rows.append(
            ProvinceRow(
                province_id=key, code=code, label=label, tally=tally, cooperatives=coops.get(key, 0)
            )
        )
    return sorted_rows(rows)
