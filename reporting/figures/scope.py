"""What every figure counts: the reader's scope of programs, the filters, and the activities
they keep (the rules are in the package docstring, `reporting.figures`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from agencies.models import Agency, Province
from coordination.models import (
    Activity,
    ActivityTally,
    Phase,
    Program,
    ProgressUpdate,
    SupportedCooperative,
    YearlyPlan,
)

STATUSES = [choice for choice, _label in ProgressUpdate.Status.choices]
DONE = ProgressUpdate.Status.DONE
NOT_STARTED = ProgressUpdate.Status.NOT_STARTED
PLAN_STATUSES = [choice for choice, _label in YearlyPlan.Status.choices]
# `Filters.province_id` value selecting the national programs (those without a province).
NATIONAL = 0


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the view to. Empty / None means no restriction."""

    years: tuple[int, ...] = ()
    phase: int | None = None
    province_id: int | None = None
    task_area: int | None = None
    # A standard area (`TaskArea.standard_area`): what the task areas of several programs are.
    standard_area: int | None = None
    agency_id: int | None = None
    program_id: int | None = None
    # A report's window (first and last day, Nghị định 09): the activities of `years` that start
    # by its end plus any activity with progress dated inside it, each counted as of its end.
    window: tuple[datetime.date, datetime.date] | None = None
    # Count progress as of this day (None: the latest update, as the dashboards do).
    as_of: datetime.date | None = None

    @property
    def progress_day(self) -> datetime.date | None:
        """The day progress is counted up to: `as_of`, else the window's end, else none."""
        return self.as_of or (self.window[1] if self.window else None)

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


def keeps_every_program(programs: QuerySet) -> bool:
    """Whether a Program queryset is every program, unfiltered (a national reader's scope with
    no program, province or agency filter): the rows counted for it then need no condition on
    their program, which would only cost PostgreSQL a join over every row."""
    query = programs.query
    return (
        programs.model is Program
        and not query.where
        and not query.is_sliced
        and not query.combinator
        and not query.distinct
    )


def activities_in(scope: Scope, filters: Filters | None = None) -> QuerySet:
    """Activities of the scope matching the filters: the rows every activity figure counts.

    The agency filter here keeps activities the agency leads or supports (not every activity
    of a program it signed)."""
    filters = filters or Filters()
    activities = _planned_in(Activity.objects.all(), scope, filters)
    if filters.window:
        start, end = filters.window
        planned = Q(start_date__lte=end) & (
            Q(plan__year__in=filters.years) if filters.years else Q(end_date__gte=start)
        )
        reported = ProgressUpdate.objects.filter(
            activity=OuterRef("pk"), reported_on__gte=start, reported_on__lte=end
        )
        activities = activities.filter(planned | Exists(reported))
    if filters.agency_id is not None:
        supporting = Activity.supporting_agencies.through.objects.filter(
            agency_id__in=filters.agency_ids
        ).values("activity_id")
        activities = activities.filter(
            Q(lead_agency_id__in=filters.agency_ids) | Q(pk__in=supporting)
        )
    if filters.progress_day is not None:
        activities = activities.with_progress_as_of(filters.progress_day)
    return activities


def _planned_in(rows: QuerySet, scope: Scope, filters: Filters) -> QuerySet:
    """`rows` (activities or the summary rows, which name their plan and task area alike)
    narrowed by the scope and the filters on the plan and the task area: program, province,
    years (unless a report's window chooses them), phase, task area, standard area."""
    programs = scope_programs(scope, filters.but(agency_id=None))
    if not keeps_every_program(programs):
        rows = rows.filter(plan__program__in=programs.values("pk"))
    if filters.years and not filters.window:
        rows = rows.filter(plan__year__in=filters.years)
    if filters.phase is not None:
        rows = rows.filter(
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
        rows = rows.filter(task_area__number=filters.task_area)
    if filters.standard_area is not None:
        rows = rows.filter(task_area__standard_area=filters.standard_area)
    return rows


def summarised(filters: Filters) -> bool:
    """Whether the summary rows (`coordination.models.summary`) can count for these filters:
    they keep the plan, the task area and the latest progress, not the agencies, nor progress
    as of a past day (the reports' windows)."""
    return filters.agency_id is None and filters.window is None and filters.as_of is None


def tallies_in(scope: Scope, filters: Filters | None = None) -> QuerySet:
    """What the activity tallies count (`tally.tally_by`): the summary rows `ActivityTally`
    when the filters allow (`summarised`), else the activities (`activities_in`). Both name
    the plan and the task area alike, so a figure groups either by the same paths."""
    filters = filters or Filters()
    if not summarised(filters):
        return activities_in(scope, filters)
    return _planned_in(ActivityTally.objects.all(), scope, filters)


def cooperative_links(scope: Scope, filters: Filters | None = None) -> tuple[QuerySet, str]:
    """Rows naming (`cooperative_id`) a cooperative each counted activity supports, and the path
    from them to the plan (`<path>plan__year`): the summary rows `SupportedCooperative` when
    the filters allow (`summarised`), else the activities' links. Count cooperatives distinct
    either way: one is supported by several plans and task areas."""
    filters = filters or Filters()
    if summarised(filters):
        return _planned_in(SupportedCooperative.objects.all(), scope, filters), ""
    links = Activity.cooperatives.through.objects.filter(
        activity__in=activities_in(scope, filters).values("pk")
    )
    return links, "activity__"


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
