"""Activity figures: totals, by task area, by province (one pass for both), budget and overdue."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import STANDARD_TASK_AREAS, CooperativeReach, StandardArea

from .provinces import ProvinceRow, Units, province_rows
from .scope import (
    Filters,
    Scope,
    activities_in,
    cooperative_links,
    keeps_every_program,
    scope_programs,
    summarised,
    tallies_in,
)
from .tally import Tally, tally_by


@dataclass(frozen=True)
class AreaRow:
    """A task area (by number) and the tally of its activities; with `standard`, a standard
    area (`coordination.models.StandardArea`, 0 for 'other') gathering the task areas of
    several programs."""

    number: int
    title: str
    tally: Tally
    standard: bool = False

    @property
    def label(self) -> str:
        """'2. Thông tin, tuyên truyền'; the 'other' standard area has no number."""
        if self.standard and self.number == StandardArea.OTHER:
            return self.title
        return f"{self.number}. {self.title}"


def activity_totals(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> Tally:
    """Status counts, overdue count, planned and spent budget of every counted activity."""
    tallies = tally_by(tallies_in(scope, filters), [], today)
    return tallies.get((), Tally())


def completion_by_task_area(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> list[AreaRow]:
    """Activities by task area number: status counts and %, overdue, budget planned vs spent.

    A task area is named by the program's own title when every program in the scope uses the
    same one for that number, by the standard title otherwise (or 'Nội dung N')."""
    tallies = tally_by(tallies_in(scope, filters), ["task_area__number", "task_area__title"], today)
    return _area_rows(tallies)


def completion_by_standard_area(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> list[AreaRow]:
    """Activities by standard area (what each program's task area is, `TaskArea.standard_area`),
    never by number: An Giang's sixth task of Kết luận 70 is not another program's area 6.
    Same tallies as `completion_by_task_area`; 'other' comes last."""
    tallies = tally_by(tallies_in(scope, filters), ["task_area__standard_area"], today)
    return _standard_rows(tallies)


def _standard_rows(tallies: dict[tuple, Tally]) -> list[AreaRow]:
    """Merge tallies keyed by (standard area, ...) into one row per standard area."""
    merged: dict[int, Tally] = {}
    for (number, *_rest), tally in tallies.items():
        merged[number] = merged.get(number, Tally()) + tally
    labels = dict(StandardArea.choices)
    order = sorted(merged, key=lambda n: (n == StandardArea.OTHER, n))
    return [AreaRow(number=n, title=str(labels[n]), tally=merged[n], standard=True) for n in order]


def _area_rows(tallies: dict[tuple, Tally]) -> list[AreaRow]:
    """Merge tallies keyed by (area number, area title, ...) into one row per number."""
    merged: dict[int, Tally] = {}
    titles: dict[int, set[str]] = defaultdict(set)
    for (number, title, *_rest), tally in tallies.items():
        merged[number] = merged.get(number, Tally()) + tally
        titles[number].add(title)
    rows = []
    for number in sorted(merged):
        title = area_title(number, titles[number])
        rows.append(AreaRow(number=number, title=title, tally=merged[number]))
    return rows


def area_title(number: int, titles: set[str]) -> str:
    """A task area number's name across programs: theirs when they all call it the same,
    else the standard title (or 'Nội dung N'). The tables and the filter say the same."""
    if len(titles) == 1:
        return next(iter(titles))
    standard = dict(STANDARD_TASK_AREAS)
    return str(standard.get(number, _("Nội dung %(number)s") % {"number": number}))


def budget_summary(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> Tally:
    """Planned vs spent budget (same rules as `activity_totals`; kept as the budget's name)."""
    return activity_totals(scope, filters, today=today)


def overdue_activities(
    scope: Scope,
    filters: Filters | None = None,
    *,
    today: datetime.date | None = None,
    first: int | None = None,
) -> QuerySet:
    """The overdue activities (end date passed, not done or cancelled), most overdue first;
    `Activity.objects.overdue()` applied to the counted activities. With `first` (the caller
    shows only that many), the summary rows find the end date of the `first`-th most overdue
    one and only activities ending on those days are read (the same rows, in the same order).

    Ordered by the days overdue rather than by `end_date` itself: with a LIMIT, PostgreSQL
    would otherwise walk the end-date index from 2021 on, checking the latest update of every
    past activity before the year filter could apply."""
    today = today or timezone.localdate()
    filters = filters or Filters()
    activities = activities_in(scope, filters).overdue(today)
    if first and summarised(filters):
        # Each summary row with a past `due` holds at least one overdue activity, so the
        # `first` most overdue activities end on the `first` earliest such dates, in the plans
        # of those rows: a few look-ups by end date instead of every activity of the scope.
        dues = list(
            tallies_in(scope, filters)
            .filter(due__lt=today)
            .values_list("due", flat=True)
            .distinct()
            .order_by("due")[:first]
        )
        plans = tallies_in(scope, filters).filter(due__in=dues).values("plan_id")
        activities = activities.filter(end_date__in=dues, plan_id__in=plans)
    days_overdue = ExpressionWrapper(Value(today) - F("end_date"), output_field=DurationField())
    return activities.annotate(days_overdue=days_overdue).order_by("-days_overdue", "pk")


def activities_by_province(
    scope: Scope,
    filters: Filters | None = None,
    *,
    provinces: Iterable[int] | None = None,
    today: datetime.date | None = None,
    units: Units | None = None,
) -> list[ProvinceRow]:
    """Activity tally and cooperatives supported per current province (old units rolled up),
    plus a 'Trung ương' row for national programs when they have activities. `provinces`
    lists current units to show even without data (e.g. all 34 for a national reader);
    `units` the provinces already loaded (`Units.load()`), if the caller has them."""
    units = units or Units.load()
    tallies = _by_unit(tally_by(tallies_in(scope, filters), [PROVINCE], today), units)
    coops = _supported_by_province(scope, filters, units)
    return province_rows(tallies, coops, provinces, units)


@dataclass(frozen=True)
class Breakdown:
    """`completion_by_standard_area` and `activities_by_province` from one pass over the
    data."""

    areas: list[AreaRow]
    provinces: list[ProvinceRow]

    @property
    def totals(self) -> Tally:
        return sum((row.tally for row in self.areas), Tally())


def activity_breakdown(
    scope: Scope,
    filters: Filters | None = None,
    *,
    provinces: Iterable[int] | None = None,
    today: datetime.date | None = None,
    units: Units | None = None,
) -> Breakdown:
    """The standard area rows and the province rows (same rules as the two functions) computed
    in one grouped query, for pages that show both (the overview, across programs): the costly
    part, finding each activity's latest update, is then done once."""
    units = units or Units.load()
    tallies = tally_by(tallies_in(scope, filters), ["task_area__standard_area", PROVINCE], today)
    tallies = _by_unit(tallies, units)
    coops = _supported_by_province(scope, filters, units)
    return Breakdown(
        areas=_standard_rows(tallies), provinces=province_rows(tallies, coops, provinces, units)
    )


PROVINCE = "plan__program__province_id"


def _by_unit(tallies: dict[tuple, Tally], units: Units) -> dict[tuple, Tally]:
    """Tallies keyed by (..., province) merged by (..., current unit). Tallies add up, so the
    roll-up can follow the grouped query (a CASE over the old units in it cost more than the
    grouping itself); distinct cooperatives cannot, see below."""
    merged: dict[tuple, Tally] = {}
    for (*rest, province), tally in tallies.items():
        key = (*rest, units.row_key(province))
        merged[key] = merged.get(key, Tally()) + tally
    return merged


def _supported_by_province(
    scope: Scope, filters: Filters | None, units: Units
) -> dict[int | None, int]:
    """Distinct cooperatives supported, by the current unit of the supporting program's
    province: from the programs' distinct counts when they answer exactly (`_reach_by_unit`),
    else counted from the summary rows."""
    counted = _reach_by_unit(scope, filters, units)
    return counted if counted is not None else _distinct_by_unit(scope, filters, units)


def _distinct_by_unit(scope: Scope, filters: Filters | None, units: Units) -> dict[int | None, int]:
    """`_supported_by_province` counted from the summary rows (or the activities' links). The
    roll-up into the current unit happens in the query so that a cooperative helped by
    programs of two old units of one province counts once."""
    links, to_plan = cooperative_links(scope, filters)
    current = units.current_unit_expression(f"{to_plan}plan__program__province_id")
    rows = (
        links.annotate(unit=current)
        .values("unit")
        .annotate(n=Count("cooperative_id", distinct=True))
        .order_by()
    )
    return {row["unit"]: row["n"] for row in rows}


def _reach_by_unit(
    scope: Scope, filters: Filters | None, units: Units
) -> dict[int | None, int] | None:
    """`_supported_by_province` from the programs' distinct counts (`CooperativeReach`: a few
    dozen rows instead of every supported cooperative), when they answer it exactly: one year
    or all years, no phase or task area filter, and at most one counted program per current
    unit (distinct counts of two programs cannot be added: a cooperative both support counts
    once). None when they do not: the caller counts from the summary rows."""
    filters = filters or Filters()
    narrowed = (filters.phase, filters.task_area, filters.standard_area)
    if not summarised(filters) or len(filters.years) > 1 or narrowed != (None, None, None):
        return None
    rows = CooperativeReach.objects.all()
    programs = scope_programs(scope, filters)
    if not keeps_every_program(programs):
        rows = rows.filter(program__in=programs.values("pk"))
    if filters.years:
        rows = rows.filter(plan__year=filters.years[0])
    else:
        rows = rows.filter(plan=None)
    counted: dict[int | None, int] = {}
    for province_id, n in rows.values_list("program__province_id", "cooperatives").order_by():
        unit = units.row_key(province_id)
        if unit in counted:
            return None
        counted[unit] = n
    return counted
