"""Cooperatives supported: the distinct cooperatives linked to at least one counted activity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from agencies.models import Commune, Province
from cooperatives.models import Cooperative
from core.text import vi_sort_key

from .provinces import ProvinceRow, Units, sorted_rows
from .scope import Filters, Scope, cooperative_links
from .tally import percent


@dataclass(frozen=True)
class CooperativeSummary:
    """Distinct cooperatives supported by the counted activities."""

    total: int
    members: int
    ethnic_minority_members: int
    by_sector: list[tuple[str, int]]
    by_ocop: list[tuple[int | None, int]]
    by_province: list[ProvinceRow]

    @property
    def ethnic_minority_share(self) -> Decimal:
        """Ethnic minority members as a share of the members of cooperatives that report both."""
        return percent(self.ethnic_minority_members, self.members)


def supported_cooperatives(scope: Scope, filters: Filters | None = None) -> QuerySet:
    """The distinct cooperatives linked to at least one counted activity."""
    links, _to_plan = cooperative_links(scope, filters)
    return Cooperative.objects.filter(pk__in=links.values("cooperative_id"))


def cooperatives_supported(
    scope: Scope,
    filters: Filters | None = None,
    *,
    provinces: Iterable[int] | None = None,
    units: Units | None = None,
) -> CooperativeSummary:
    """How many distinct cooperatives the counted activities supported; by sector (as written,
    '' = not stated), by OCOP stars (None = no OCOP rating) and by the cooperative's current
    province; and the ethnic minority share of members, over cooperatives reporting both
    member counts."""
    rows = (
        supported_cooperatives(scope, filters)
        .values("sector", "ocop_stars", "province_id")
        .annotate(
            n=Count("pk"),
            member_sum=Sum("members", filter=Q(ethnic_minority_members__isnull=False)),
            ethnic_sum=Sum("ethnic_minority_members", filter=Q(members__isnull=False)),
        )
        .order_by()
    )
    sectors: dict[str, int] = defaultdict(int)
    stars: dict[int | None, int] = defaultdict(int)
    units = units or Units.load()
    merged: dict[int | None, int] = dict.fromkeys(provinces or (), 0)
    total = members = ethnic = 0
    for row in rows:
        total += row["n"]
        members += row["member_sum"] or 0
        ethnic += row["ethnic_sum"] or 0
        sectors[row["sector"]] += row["n"]
        stars[row["ocop_stars"]] += row["n"]
        key = units.row_key(row["province_id"])
        merged[key] = merged.get(key, 0) + row["n"]
    by_province = []
    for key, n in merged.items():
        code, label = units.label(key)
        by_province.append(ProvinceRow(province_id=key, code=code, label=label, cooperatives=n))
    return CooperativeSummary(
        total=total,
        members=members,
        ethnic_minority_members=ethnic,
        by_sector=sorted(sectors.items(), key=lambda item: (-item[1], vi_sort_key(item[0]))),
        by_ocop=sorted(stars.items(), key=lambda item: (item[0] is None, -(item[0] or 0))),
        by_province=sorted_rows(by_province),
    )


@dataclass(frozen=True)
class CommuneRow:
    """Supported cooperatives of one of today's communes (`commune` None: not yet placed)."""

    commune: Commune | None
    cooperatives: int
    members: int
    ethnic_minority_members: int


def cooperatives_by_commune(
    scope: Scope, filters: Filters | None, *, province: Province
) -> list[CommuneRow]:
    """The supported cooperatives located in `province` (its current unit and the old units
    rolling up into it) by today's commune (`Cooperative.current_commune`, which is also where
    cooperatives written under an old commune were placed): how many, their members and their
    ethnic minority members (each the sum of what the cooperatives report). Most cooperatives
    first, then by name; those not yet placed in a commune last. Two queries."""
    rows = list(
        supported_cooperatives(scope, filters)
        .in_province(province)
        .values("current_commune")
        .annotate(
            n=Count("pk"), member_sum=Sum("members"), ethnic_sum=Sum("ethnic_minority_members")
        )
        .order_by()
    )
    communes = Commune.objects.in_bulk([r["current_commune"] for r in rows if r["current_commune"]])
    result = [
        CommuneRow(
            commune=communes.get(row["current_commune"]),
            cooperatives=row["n"],
            members=row["member_sum"] or 0,
            ethnic_minority_members=row["ethnic_sum"] or 0,
        )
        for row in rows
    ]
    return sorted(
        result,
        key=lambda r: (
            r.commune is None,
            -r.cooperatives,
            vi_sort_key(r.commune.name if r.commune else ""),
        ),
    )
