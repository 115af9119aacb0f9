"""Yearly plans by province and status, and the plans (or programs lacking one) behind them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, FilteredRelation, Q, QuerySet

from coordination.models import YearlyPlan
from core.db import vi_order

from .provinces import Units, sorted_rows
from .scope import PLAN_STATUSES, Filters, Scope, scope_programs


@dataclass(frozen=True)
class PlanRow:
    """Plans of one year for one current province (None = national programs)."""

    province_id: int | None
    code: str
    label: str
    programs: int = 0
    draft: int = 0
    submitted: int = 0
    approved: int = 0

    @property
    def missing(self) -> int:
        """Programs running that year with no plan at all."""
        return max(self.programs - self.draft - self.submitted - self.approved, 0)

    @property
    def not_submitted(self) -> int:
        """Programs whose plan is missing or still a draft."""
        return self.missing + self.draft

    @property
    def not_approved(self) -> int:
        """Programs whose plan is missing, a draft or awaiting approval."""
        return self.missing + self.draft + self.submitted

    @property
    def state(self) -> str:
        """'no_program', 'not_submitted', 'not_approved' or 'approved' (the worst one)."""
        if not self.programs:
            return "no_program"
        if self.not_submitted:
            return "not_submitted"
        if self.submitted:
            return "not_approved"
        return "approved"


def plan_status_by_province(
    scope: Scope,
    *,
    year: int,
    filters: Filters | None = None,
    provinces: Iterable[int] | None = None,
    units: Units | None = None,
) -> list[PlanRow]:
    """Programs running in `year` and their plans for that year by status, per current province
    (old units rolled up; national programs in a 'Trung ương' row when there are any).

    A province whose programs all have an approved plan is 'approved'; one with a missing or
    draft plan has 'not submitted'; one with a plan awaiting approval 'not approved'; a unit
    listed in `provinces` with no running program has 'no program'."""
    units = units or Units.load()
    programs = scope_programs(scope, filters).filter(start_year__lte=year, end_year__gte=year)
    counts: dict[int | None, dict[str, int]] = {
        pk: dict.fromkeys(["programs", *PLAN_STATUSES], 0) for pk in provinces or ()
    }
    # The running programs with their plan of the year (a program has at most one), in one
    # query: the status is None for a program without one.
    running = (
        programs.annotate(year_plan=FilteredRelation("plans", condition=Q(plans__year=year)))
        .values_list("province_id", "year_plan__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for province_id, status, n in running:
        key = units.row_key(province_id)
        counts.setdefault(key, dict.fromkeys(["programs", *PLAN_STATUSES], 0))
        counts[key]["programs"] += n
        if status is not None:
            counts[key][status] += n
    rows = []
    for key, values in counts.items():
        code, label = units.label(key)
        rows.append(PlanRow(province_id=key, code=code, label=label, **values))
    return sorted_rows(rows)


def plan_list(
    scope: Scope,
    *,
    year: int,
    filters: Filters | None = None,
    status: str | None = None,
) -> QuerySet:
    """The plans behind `plan_status_by_province` figures (optionally one status)."""
    programs = scope_programs(scope, filters).filter(start_year__lte=year, end_year__gte=year)
    plans = YearlyPlan.objects.filter(program__in=programs.values("pk"), year=year)
    if status:
        plans = plans.filter(status=status)
    return plans.select_related("program__province__successor").order_by(
        "program__province__code", "program__title"
    )


def programs_without_plan(scope: Scope, *, year: int, filters: Filters | None = None) -> QuerySet:
    """Programs running in `year` that have no plan for it (the 'missing' figure)."""
    programs = scope_programs(scope, filters).filter(start_year__lte=year, end_year__gte=year)
    return (
        programs.exclude(pk__in=YearlyPlan.objects.filter(year=year).values("program_id"))
        .select_related("province__successor")
        .order_by("province__code", vi_order("title"))
    )
