"""The year-by-year trend of a scope: activities, plans and cooperatives supported per year."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Min

from coordination.models import Phase, YearlyPlan

from .scope import PLAN_STATUSES, Filters, Scope, cooperative_links, scope_programs, tallies_in
from .tally import Tally, tally_by


@dataclass(frozen=True)
class YearRow:
    """One year of a trend: activities, budget, plans by status and cooperatives supported."""

    year: int
    tally: Tally
    plans: dict[str, int]
    cooperatives: int


def yearly_trend(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> list[YearRow]:
    """Year by year over the scope's programs' years (or the years filter): activity tally,
    plans by status and distinct cooperatives supported that year."""
    filters = filters or Filters()
    programs = scope_programs(scope, filters.but(agency_id=None))
    tallies = tally_by(tallies_in(scope, filters), ["plan__year"], today)
    plans: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PLAN_STATUSES, 0))
    plan_rows = (
        YearlyPlan.objects.filter(program__in=scope_programs(scope, filters).values("pk"))
        .values("year", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in plan_rows:
        plans[row["year"]][row["status"]] = row["n"]
    links, to_plan = cooperative_links(scope, filters)
    coops = {
        row[f"{to_plan}plan__year"]: row["n"]
        for row in links.values(f"{to_plan}plan__year")
        .annotate(n=Count("cooperative_id", distinct=True))
        .order_by()
    }
    if filters.phase is not None:
        span = Phase.objects.filter(
            program__in=programs.values("pk"), number=filters.phase
        ).aggregate(first=Min("start_year"), last=Max("end_year"))
    else:
        span = programs.aggregate(first=Min("start_year"), last=Max("end_year"))
    years = list(range(span["first"], span["last"] + 1)) if span["first"] else []
    if filters.years:
        years = [y for y in years if y in filters.years]
    return [
        YearRow(
            year=y,
            tally=tallies.get((y,), Tally()),
            plans=dict(plans.get(y, dict.fromkeys(PLAN_STATUSES, 0))),
            cooperatives=coops.get(y, 0),
        )
        for y in years
    ]
