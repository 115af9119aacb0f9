"""Dashboard and report reads: every figure a manager sees, aggregated in the database.

Dashboards (issue 5) and the sơ kết / tổng kết reports (issue 6) both read these functions, so a
number means the same everywhere. Each function takes

- a **scope**: the programs the reader may see (`Program.objects.visible_to(user)`), any other
  Program queryset, or one `Program`;
- **filters** (`Filters`): years, phase number, province, task area number, agency, program.

Counting rules shared by every function:

- **An activity's status is the status of its latest progress update** (newest `reported_on`,
  then `created_at`, then id, as `ProgressUpdate.Meta.get_latest_by`). An activity with no
  update is *not started*. Statuses: done, in progress, delayed, not started, cancelled.
- **Overdue**: the end date is before `today` and the status is neither done nor cancelled
  (the rule of `Activity.objects.overdue()`).
- **Budget**: planned = the sum of `Activity.planned_budget`; spent = the sum, over activities,
  of the latest update's `budget_spent`. Each update reports the cumulative amount spent so far,
  so the latest one is the activity's spending and updates are never added up.
- **Achieved value** of an activity = its latest update's `actual_value` (none when the latest
  update carries no value). An indicator's value for a year = the sum over that year's
  activities linked to it; the years of a phase combine by the indicator's aggregation: sum of
  the years, the latest year that has a value, or the largest yearly value.
- **Province**: an activity, plan or program belongs to its program's province. Data recorded
  under an old province (before 1 July 2025) counts under the current unit that carries it on
  (Kiên Giang → An Giang). National programs have no province: they appear in the row
  "Trung ương", are left out when a province filter is set, and are selected alone by
  `province_id=NATIONAL` (0). A cooperative counts under its
  own province (the registry stores the current unit), rolled up the same way.
- **Filters**: `years` keep plans of those years; `phase` (a number) keeps the years of that
  phase of each activity's own program (phase 1 of Quảng Ngãi is 2022–2025); `province` is a
  current unit and includes its old units; `task_area` is a task area number (the standard five
  are numbered alike in every program); `agency` keeps activities the agency (or an agency it
  carries on) leads or supports, and plans / programs where it is a party; `program` narrows
  the scope to one program.
- **Cooperatives supported**: distinct cooperatives linked to at least one counted activity.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Province
from cooperatives.models import Cooperative
from coordination.models import (
    STANDARD_TASK_AREAS,
    Activity,
    Indicator,
    Phase,
    PhaseTarget,
    Program,
    ProgressUpdate,
    YearlyPlan,
)
from core.succession import last_successor
from core.text import vi_sort_key

STATUSES = [choice for choice, _label in ProgressUpdate.Status.choices]
DONE = ProgressUpdate.Status.DONE
NOT_STARTED = ProgressUpdate.Status.NOT_STARTED
PLAN_STATUSES = [choice for choice, _label in YearlyPlan.Status.choices]
# `Filters.province_id` value selecting the national programs (those without a province).
NATIONAL = 0


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the view to. Empty / None means no restriction."""

    years: tuple[int, ...] = ()
    phase: int | None = None
    province_id: int | None = None
    task_area: int | None = None
    agency_id: int | None = None
    program_id: int | None = None

    @cached_property
    def province_ids(self) -> frozenset[int]:
        """The province filter's unit and every old unit that rolls up into it."""
        if self.province_id in (None, NATIONAL):
            return frozenset()
        return frozenset(
            Province.objects.rolling_up_into([self.province_id]).values_list("pk", flat=True)
        )

    @cached_property
    def agency_ids(self) -> frozenset[int]:
        """The agency filter's agency and every predecessor it carries on."""
        if self.agency_id is None:
            return frozenset()
        return frozenset(
            Agency.objects.with_predecessors([self.agency_id]).values_list("pk", flat=True)
        )

    def but(self, **changes) -> Filters:
        """A copy with some filters changed; look-ups of unchanged filters are carried over."""
        copy = replace(self, **changes)
        for cached, source in (("province_ids", "province_id"), ("agency_ids", "agency_id")):
            if cached in self.__dict__ and getattr(copy, source) == getattr(self, source):
                copy.__dict__[cached] = self.__dict__[cached]
        return copy


Scope = Program | QuerySet


def scope_programs(scope: Scope, filters: Filters | None = None) -> QuerySet:
    """The Program queryset of a scope, narrowed by the program, province and agency filters."""
    if isinstance(scope, Program):
        programs = Program.objects.filter(pk=scope.pk)
    else:
        programs = scope
    filters = filters or Filters()
    if filters.program_id is not None:
        programs = programs.filter(pk=filters.program_id)
    if filters.province_id == NATIONAL:
        programs = programs.filter(province__isnull=True)
    elif filters.province_id is not None:
        programs = programs.filter(province_id__in=filters.province_ids)
    if filters.agency_id is not None:
        programs = programs.where_party(filters.agency_ids)
    return programs


def activities_in(scope: Scope, filters: Filters | None = None) -> QuerySet:
    """Activities of the scope matching the filters: the rows every activity figure counts.

    The agency filter here keeps activities the agency leads or supports (not every activity
    of a program it signed)."""
    filters = filters or Filters()
    programs = scope_programs(scope, filters.but(agency_id=None))
    activities = Activity.objects.filter(plan__program__in=programs.values("pk"))
    if filters.years:
        activities = activities.filter(plan__year__in=filters.years)
    if filters.phase is not None:
        activities = activities.filter(
            Exists(
                Phase.objects.filter(
                    program_id=OuterRef("plan__program_id"),
                    number=filters.phase,
                    start_year__lte=OuterRef("plan__year"),
                    end_year__gte=OuterRef("plan__year"),
                )
            )
        )
    if filters.task_area is not None:
        activities = activities.filter(task_area__number=filters.task_area)
    if filters.agency_id is not None:
        supporting = Activity.supporting_agencies.through.objects.filter(
            agency_id__in=filters.agency_ids
        ).values("activity_id")
        activities = activities.filter(
            Q(lead_agency_id__in=filters.agency_ids) | Q(pk__in=supporting)
        )
    return activities


def with_status(activities: QuerySet) -> QuerySet:
    """Annotate `status`: the latest update's status, 'not_started' when there is none (and
    the other `latest_*` values of `Activity.objects.with_latest_progress()`)."""
    return activities.with_latest_progress().annotate(
        status=Coalesce("latest_status", Value(NOT_STARTED))
    )


def activity_list(
    scope: Scope,
    filters: Filters | None = None,
    *,
    status: str | None = None,
    overdue: bool = False,
    indicator_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet:
    """The activities behind a dashboard figure, annotated with `latest_status`,
    `latest_percent`, `latest_budget_spent` and `latest_actual_value`.

    `status` keeps one status under the counting rule (none = not started); `overdue` keeps
    overdue ones; `indicator_id` the activities reporting on one indicator. Ordered by year,
    program and task area."""
    activities = activities_in(scope, filters)
    if indicator_id is not None:
        activities = activities.filter(indicator_id=indicator_id)
    activities = activities.overdue(today) if overdue else activities.with_latest_progress()
    if status == NOT_STARTED:
        activities = activities.filter(Q(latest_status__isnull=True) | Q(latest_status=NOT_STARTED))
    elif status:
        activities = activities.filter(latest_status=status)
    return activities.order_by("-plan__year", "plan__program_id", "task_area__number", "pk")


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Counts by status, overdue, and budget of a set of activities."""

    done: int = 0
    in_progress: int = 0
    delayed: int = 0
    not_started: int = 0
    cancelled: int = 0
    overdue: int = 0
    planned_budget: int = 0
    spent: int = 0

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.delayed + self.not_started + self.cancelled

    def count(self, status: str) -> int:
        return getattr(self, status)

    def percent(self, status: str) -> Decimal:
        """Share of `status` among all activities, rounded to one decimal (0 when none)."""
        return _percent(self.count(status), self.total)

    @property
    def done_percent(self) -> Decimal:
        return self.percent(DONE)

    @property
    def spent_percent(self) -> Decimal:
        return _percent(self.spent, self.planned_budget)

    @property
    def by_status(self) -> list[tuple[str, int, Decimal]]:
        """(status, count, percent) in the order of `ProgressUpdate.Status`."""
        return [(status, self.count(status), self.percent(status)) for status in STATUSES]

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{name: getattr(self, name) + getattr(other, name) for name in _TALLY})


_TALLY = [
    "done",
    "in_progress",
    "delayed",
    "not_started",
    "cancelled",
    "overdue",
    "planned_budget",
    "spent",
]


def _percent(part, whole) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class AreaRow:
    """A task area (by number) and the tally of its activities."""

    number: int
    title: str
    tally: Tally


@dataclass(frozen=True)
class YearRow:
    """One year of a trend: activities, budget, plans by status and cooperatives supported."""

    year: int
    tally: Tally
    plans: dict[str, int]
    cooperatives: int


@dataclass(frozen=True)
class ProvinceRow:
    """A current provincial unit (None = national programs) with its rolled-up figures."""

    province_id: int | None
    code: str
    label: str
    tally: Tally = field(default_factory=Tally)
    cooperatives: int = 0


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
        return _percent(self.achieved or 0, self.target_min)

    @property
    def met(self) -> bool:
        return self.achieved is not None and self.achieved >= self.target_min


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
        return _percent(self.ethnic_minority_members, self.members)


# --- activity figures -------------------------------------------------------------------------


def _tallies(
    activities: QuerySet, by: Iterable[str], today: datetime.date | None
) -> dict[tuple, Tally]:
    """One grouped query: activities by `by` + status + past-due, with budgets; pivoted to a
    Tally per value of `by`."""
    today = today or timezone.localdate()
    by = list(by)
    rows = (
        with_status(activities)
        .with_overdue(today)
        .values(*by, "status", "overdue")
        .annotate(n=Count("pk"), planned=Sum("planned_budget"), spent=Sum("latest_budget_spent"))
        .order_by()
    )
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_TALLY, 0))
    for row in rows:
        key = tuple(row[name] for name in by)
        tally = counts[key]
        status = row["status"] or NOT_STARTED
        tally[status] += row["n"]
        if row["overdue"]:
            tally["overdue"] += row["n"]
        tally["planned_budget"] += row["planned"] or 0
        tally["spent"] += row["spent"] or 0
    return {key: Tally(**values) for key, values in counts.items()}


def activity_totals(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> Tally:
    """Status counts, overdue count, planned and spent budget of every counted activity."""
    tallies = _tallies(activities_in(scope, filters), [], today)
    return tallies.get((), Tally())


def completion_by_task_area(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> list[AreaRow]:
    """Activities by task area number: status counts and %, overdue, budget planned vs spent.

    A task area is named by the program's own title when every program in the scope uses the
    same one for that number, by the standard title otherwise (or 'Nội dung N')."""
    tallies = _tallies(
        activities_in(scope, filters), ["task_area__number", "task_area__title"], today
    )
    return _area_rows(tallies)


def _area_rows(tallies: dict[tuple, Tally]) -> list[AreaRow]:
    """Merge tallies keyed by (area number, area title, ...) into one row per number."""
    merged: dict[int, Tally] = {}
    titles: dict[int, set[str]] = defaultdict(set)
    for (number, title, *_rest), tally in tallies.items():
        merged[number] = merged.get(number, Tally()) + tally
        titles[number].add(title)
    standard = dict(STANDARD_TASK_AREAS)
    rows = []
    for number in sorted(merged):
        if len(titles[number]) == 1:
            title = next(iter(titles[number]))
        else:
            title = str(standard.get(number, _("Nội dung %(number)s") % {"number": number}))
        rows.append(AreaRow(number=number, title=title, tally=merged[number]))
    return rows


def budget_summary(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> Tally:
    """Planned vs spent budget (same rules as `activity_totals`; kept as the budget's name)."""
    return activity_totals(scope, filters, today=today)


def overdue_activities(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> QuerySet:
    """The overdue activities (end date passed, not done or cancelled), most overdue first;
    `Activity.objects.overdue()` applied to the counted activities.

    Ordered by the days overdue rather than by `end_date` itself: with a LIMIT, PostgreSQL
    would otherwise walk the end-date index from 2021 on, checking the latest update of every
    past activity before the year filter could apply."""
    today = today or timezone.localdate()
    days_overdue = ExpressionWrapper(Value(today) - F("end_date"), output_field=DurationField())
    return (
        activities_in(scope, filters)
        .overdue(today)
        .annotate(days_overdue=days_overdue)
        .order_by("-days_overdue", "pk")
    )


# --- provinces --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Units:
    """Every province with the current unit it rolls up into (one query, 97 rows)."""

    current_of: dict[int, int]
    units: dict[int, Province]

    @classmethod
    def load(cls) -> _Units:
        provinces = {p.pk: p for p in Province.objects.all()}
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

    def current_unit_expression(self, field_name: str) -> Case:
        """SQL mapping a province id column to its current unit's id (NULL stays NULL)."""
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


def _sorted_rows(rows: Iterable) -> list:
    """National row first, then provinces in Vietnamese alphabetical order."""
    return sorted(
        rows,
        key=lambda row: (row.province_id is not None, vi_sort_key(row.label)),
    )


def dashboard_provinces(programs: QuerySet, *, national: bool) -> list[int]:
    """The current units a dashboard lists: all 34 for a national reader, otherwise the units
    that the scope's programs roll up into."""
    units = _Units.load()
    if national:
        return units.current_ids()
    ids = programs.exclude(province=None).values_list("province_id", flat=True).distinct()
    return sorted({units.current_of[pk] for pk in ids})


def activities_by_province(
    scope: Scope,
    filters: Filters | None = None,
    *,
    provinces: Iterable[int] | None = None,
    today: datetime.date | None = None,
) -> list[ProvinceRow]:
    """Activity tally and cooperatives supported per current province (old units rolled up),
    plus a 'Trung ương' row for national programs when they have activities. `provinces`
    lists current units to show even without data (e.g. all 34 for a national reader)."""
    units = _Units.load()
    activities = activities_in(scope, filters).annotate(
        unit=units.current_unit_expression("plan__program__province_id")
    )
    tallies = _tallies(activities, ["unit"], today)
    return _province_rows(tallies, _supported_by_province(activities, units), provinces, units)


def _province_rows(
    tallies: dict[tuple, Tally],
    coops: dict[int | None, int],
    provinces: Iterable[int] | None,
    units: _Units,
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
    return _sorted_rows(rows)


@dataclass(frozen=True)
class Breakdown:
    """`completion_by_task_area` and `activities_by_province` from one pass over the data."""

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
) -> Breakdown:
    """The task area rows and the province rows (same rules as the two functions) computed in
    one grouped query, for pages that show both: the costly part, finding each activity's
    latest update, is then done once."""
    units = _Units.load()
    activities = activities_in(scope, filters).annotate(
        unit=units.current_unit_expression("plan__program__province_id")
    )
    tallies = _tallies(activities, ["task_area__number", "task_area__title", "unit"], today)
    coops = _supported_by_province(activities, units)
    return Breakdown(
        areas=_area_rows(tallies), provinces=_province_rows(tallies, coops, provinces, units)
    )


def _supported_by_province(activities: QuerySet, units: _Units) -> dict[int | None, int]:
    """Distinct cooperatives supported, by the current unit of the supporting program's
    province. The roll-up happens in the query (a CASE over the old units) so that a cooperative
    helped by programs of two old units of one province counts once."""
    current = units.current_unit_expression("activity__plan__program__province_id")
    links = (
        Activity.cooperatives.through.objects.filter(activity__in=activities.values("pk"))
        .annotate(unit=current)
        .values("unit")
        .annotate(n=Count("cooperative_id", distinct=True))
        .order_by()
    )
    return {row["unit"]: row["n"] for row in links}


def plan_status_by_province(
    scope: Scope,
    *,
    year: int,
    filters: Filters | None = None,
    provinces: Iterable[int] | None = None,
) -> list[PlanRow]:
    """Programs running in `year` and their plans for that year by status, per current province
    (old units rolled up; national programs in a 'Trung ương' row when there are any).

    A province whose programs all have an approved plan is 'approved'; one with a missing or
    draft plan has 'not submitted'; one with a plan awaiting approval 'not approved'; a unit
    listed in `provinces` with no running program has 'no program'."""
    units = _Units.load()
    programs = scope_programs(scope, filters).filter(start_year__lte=year, end_year__gte=year)
    counts: dict[int | None, dict[str, int]] = {
        pk: dict.fromkeys(["programs", *PLAN_STATUSES], 0) for pk in provinces or ()
    }
    running = programs.values("province_id").annotate(n=Count("pk")).order_by()
    plans = (
        YearlyPlan.objects.filter(program__in=programs.values("pk"), year=year)
        .values("program__province_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in running:
        key = units.row_key(row["province_id"])
        counts.setdefault(key, dict.fromkeys(["programs", *PLAN_STATUSES], 0))
        counts[key]["programs"] += row["n"]
    for row in plans:
        key = units.row_key(row["program__province_id"])
        counts.setdefault(key, dict.fromkeys(["programs", *PLAN_STATUSES], 0))
        counts[key][row["status"]] += row["n"]
    rows = []
    for key, values in counts.items():
        code, label = units.label(key)
        rows.append(PlanRow(province_id=key, code=code, label=label, **values))
    return _sorted_rows(rows)


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
        .order_by("province__code", "title")
    )


# --- indicators -------------------------------------------------------------------------------


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
    targets = PhaseTarget.objects.filter(indicator__program__in=programs.values("pk"))
    if filters.phase is not None:
        targets = targets.filter(phase__number=filters.phase)
    else:
        targets = targets.filter(phase__start_year__lte=year, phase__end_year__gte=year)
    if filters.task_area is not None:
        targets = targets.filter(indicator__task_area__number=filters.task_area)
    targets = list(
        targets.select_related("indicator", "phase", "indicator__program").order_by(
            "indicator__program__level", "indicator__program__title", "indicator__code"
        )
    )
    if not targets:
        return []
    first = min(t.phase.start_year for t in targets)
    last = max(t.phase.end_year for t in targets)
    values = (
        activities_in(scope, filters.but(years=(), phase=None))
        .filter(indicator_id__in=[t.indicator_id for t in targets])
        .filter(plan__year__gte=first, plan__year__lte=last)
        .with_latest_progress()
        .values("indicator_id", "plan__year")
        .annotate(value=Sum("latest_actual_value"), reported=Count("latest_actual_value"))
        .order_by()
    )
    by_year: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in values:
        if row["reported"]:
            by_year[row["indicator_id"]][row["plan__year"]] = Decimal(row["value"])
    results = []
    for target in targets:
        indicator, phase = target.indicator, target.phase
        years = by_year.get(indicator.pk, {})
        yearly = tuple((y, years.get(y)) for y in phase.years)
        results.append(
            IndicatorProgress(
                program_id=indicator.program_id,
                program_title=indicator.program.title,
                indicator_id=indicator.pk,
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                aggregation=indicator.aggregation,
                phase_id=phase.pk,
                phase_number=phase.number,
                phase_start=phase.start_year,
                phase_end=phase.end_year,
                target_min=target.target_min,
                target_max=target.target_max,
                target_display=target.display,
                yearly=yearly,
                achieved=combine_years(indicator.aggregation, yearly),
            )
        )
    return results


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


# --- cooperatives -----------------------------------------------------------------------------


def supported_cooperatives(scope: Scope, filters: Filters | None = None) -> QuerySet:
    """The distinct cooperatives linked to at least one counted activity."""
    links = Activity.cooperatives.through.objects.filter(
        activity__in=activities_in(scope, filters).values("pk")
    ).values("cooperative_id")
    return Cooperative.objects.filter(pk__in=links)


def cooperatives_supported(
    scope: Scope, filters: Filters | None = None, *, provinces: Iterable[int] | None = None
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
    units = _Units.load()
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
        by_province=_sorted_rows(by_province),
    )


# --- trend ------------------------------------------------------------------------------------


def yearly_trend(
    scope: Scope, filters: Filters | None = None, *, today: datetime.date | None = None
) -> list[YearRow]:
    """Year by year over the scope's programs' years (or the years filter): activity tally,
    plans by status and distinct cooperatives supported that year."""
    filters = filters or Filters()
    programs = scope_programs(scope, filters.but(agency_id=None))
    activities = activities_in(scope, filters)
    tallies = _tallies(activities, ["plan__year"], today)
    plans: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PLAN_STATUSES, 0))
    plan_rows = (
        YearlyPlan.objects.filter(program__in=scope_programs(scope, filters).values("pk"))
        .values("year", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in plan_rows:
        plans[row["year"]][row["status"]] = row["n"]
    coops = {
        row["activity__plan__year"]: row["n"]
        for row in Activity.cooperatives.through.objects.filter(
            activity__in=activities.values("pk")
        )
        .values("activity__plan__year")
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
