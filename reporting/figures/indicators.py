"""Indicators: each phase target against what the phase's years achieved, combined by the
indicator's aggregation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, QuerySet, Sum, Value
from django.utils import timezone

from coordination.models import ActivityTally, Indicator, PhaseTarget, target_display
from core.prepared import PreparedQuery

from .scope import Filters, Scope, keeps_every_program, scope_programs, tallies_in
from .tally import percent


@dataclass(frozen=True)
class IndicatorProgress:
    """An indicator's phase target against what the phase's years achieved so far."""

    program_id: int
    program_title: str
    indicator_id: int
    code: str
    name: str
    unit: str
    aggregation: str
    phase_id: int
    phase_number: int
    phase_start: int
    phase_end: int
    target_min: Decimal
    target_max: Decimal | None
    target_display: str
    yearly: tuple[tuple[int, Decimal | None], ...]
    achieved: Decimal | None

    @property
    def percent(self) -> Decimal:
        """Achieved as a share of the (minimum) target."""
        return percent(self.achieved or 0, self.target_min)

    @property
    def met(self) -> bool:
        return self.achieved is not None and self.achieved >= self.target_min


def indicator_progress(
    scope: Scope,
    filters: Filters | None = None,
    *,
    year: int | None = None,
) -> list[IndicatorProgress]:
    """Each indicator's target for a phase against the value achieved so far.

    The phase is `filters.phase` (a number) or, without it, the phase of each program that
    contains `year` (default: this year). The years filter is ignored: a phase target is
    measured over all its years. Activity filters (province, task area, agency) restrict the
    activities counted; the task area filter also keeps only that area's indicators.
    Two queries: the targets, and the achieved values grouped by indicator and year."""
    filters = filters or Filters()
    year = year or timezone.localdate().year
    programs = scope_programs(scope, filters.but(agency_id=None))
    every_program = keeps_every_program(programs)
    if every_program and filters.phase is None and filters.task_area is None:
        # A national overview's, on every cold request: its SQL compiled once per connection.
        targets = _EVERY_PROGRAM_TARGETS(year)
    else:
        targets = list(
            _targets(None if every_program else programs, filters.phase, filters.task_area, year)
        )
    if not targets:
        return []
    first = min(target[9] for target in targets)
    last = max(target[10] for target in targets)
    rows = tallies_in(
        scope, filters.but(years=(), phase=None, window=None, as_of=filters.progress_day)
    )
    if rows.model is ActivityTally:
        sums = {"value": Sum("actual_value"), "reported": Sum("reported")}
    else:
        rows = rows.with_latest_progress()
        sums = {"value": Sum("latest_actual_value"), "reported": Count("latest_actual_value")}
    values = (
        rows.filter(indicator_id__in=[target[0] for target in targets])
        .filter(plan__year__gte=first, plan__year__lte=last)
        .values("indicator_id", "plan__year")
        .annotate(**sums)
        .order_by()
    )
    by_year: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in values:
        if row["reported"]:
            by_year[row["indicator_id"]][row["plan__year"]] = Decimal(row["value"])
    results = []
    for (
        indicator_id,
        program_id,
        program_title,
        code,
        name,
        unit,
        aggregation,
        phase_id,
        phase_number,
        phase_start,
        phase_end,
        target_min,
        target_max,
    ) in targets:
        years = by_year.get(indicator_id, {})
        yearly = tuple((y, years.get(y)) for y in range(phase_start, phase_end + 1))
        results.append(
            IndicatorProgress(
                program_id=program_id,
                program_title=program_title,
                indicator_id=indicator_id,
                code=code,
                name=name,
                unit=unit,
                aggregation=aggregation,
                phase_id=phase_id,
                phase_number=phase_number,
                phase_start=phase_start,
                phase_end=phase_end,
                target_min=target_min,
                target_max=target_max,
                target_display=target_display(target_min, target_max),
                yearly=yearly,
                achieved=combine_years(aggregation, yearly),
            )
        )
    return results


def _targets(
    programs: QuerySet | None, phase: int | None, task_area: int | None, year: int
) -> QuerySet:
    """The phase targets `indicator_progress` measures, as plain rows in its order: those of
    `programs` (None: every program), of phase number `phase` or else of the phase that
    contains `year`, of task area number `task_area` if set."""
    targets = PhaseTarget.objects.all()
    if programs is not None:
        # (For every program no condition: compiling the subquery cost a fifth of the figure.)
        targets = targets.filter(indicator__program__in=programs.values("pk"))
    if phase is not None:
        targets = targets.filter(phase__number=phase)
    else:
        # `year` as a Value: compared as a plain parameter, not checked against the small
        # integer column's range, so that `_EVERY_PROGRAM_TARGETS` can compile it from its
        # placeholder (a negative number, which the check would turn into "no row").
        at = Value(year, output_field=IntegerField())
        targets = targets.filter(phase__start_year__lte=at, phase__end_year__gte=at)
    if task_area is not None:
        targets = targets.filter(indicator__task_area__number=task_area)
    # Plain rows, not models: a national overview lists some 175 targets, and making a target,
    # its indicator, phase and program for each cost more than the rest of the figure.
    return targets.order_by(
        "indicator__program__level", "indicator__program__title", "indicator__code"
    ).values_list(
        "indicator_id",
        "indicator__program_id",
        "indicator__program__title",
        "indicator__code",
        "indicator__name",
        "indicator__unit",
        "indicator__aggregation",
        "phase_id",
        "phase__number",
        "phase__start_year",
        "phase__end_year",
        "target_min",
        "target_max",
    )


_EVERY_PROGRAM_TARGETS = PreparedQuery(lambda year: _targets(None, None, None, year), int)


def combine_years(aggregation: str, yearly: Iterable[tuple[int, Decimal | None]]) -> Decimal | None:
    """Combine yearly values by an indicator's aggregation; None when no year has a value."""
    reported = [(year, value) for year, value in yearly if value is not None]
    if not reported:
        return None
    if aggregation == Indicator.Aggregation.LATEST:
        return max(reported)[1]
    if aggregation == Indicator.Aggregation.MAXIMUM:
        return max(value for _year, value in reported)
    return sum((value for _year, value in reported), Decimal(0))
