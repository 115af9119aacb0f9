"""Reads behind the yearly plan pages. Each runs a fixed number of queries, however many
activities a plan has."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, QuerySet, Sum, prefetch_related_objects

from agencies.models import Agency
from agencies.querysets import successor_path
from cooperatives.models import Cooperative
from core.prepared import PreparedModels, PreparedQuery

from .models import Activity, NtpProject, PlanApproval, TaskArea, YearlyPlan

# Budget sources in the order the tables show them; '' is an activity whose source is not given.
SOURCES = [*Activity.BudgetSource.values, ""]


@dataclass
class Totals:
    """Number of activities and planned budget, in total and by budget source."""

    count: int = 0
    budget: int = 0
    by_source: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))

    def add(self, *, source: str, count: int, budget: int) -> None:
        self.count += count
        self.budget += budget
        self.by_source[source] += budget

    @property
    def source_amounts(self) -> list[int]:
        return [self.by_source[source] for source in SOURCES]


@dataclass
class AreaGroup:
    area: TaskArea
    activities: list[Activity]
    totals: Totals
    # A folded area's activities are not loaded: the page shows its totals and a link.
    folded: bool = False


@dataclass
class PlanOverview:
    groups: list[AreaGroup]
    totals: Totals
    folded: bool = False

    @property
    def has_unsourced_budget(self) -> bool:
        return self.totals.by_source[""] > 0


@dataclass
class PartyDecision:
    """A party agency and its decision in the plan's current round (None: not decided)."""

    agency: object
    decision: PlanApproval | None


def _activity_rows(plan: int) -> QuerySet:
    """The plan's activities with everything `plan_activities` reads but the prefetch."""
    return (
        Activity.objects.filter(plan_id=plan)
        .with_latest_progress()
        .select_related("task_area", successor_path("lead_agency"), "indicator")
        # The activities' default order within one plan; the default's first key (the plan)
        # would join the plan and its program only to sort by values every row shares.
        .order_by("task_area__number", "start_date", "pk")
    )


def _supporting_agencies() -> Prefetch:
    # Only the names are shown: smaller rows to fetch and build for a long plan. Plain lists
    # (`to_attr`): the template reads them without a queryset per activity.
    return Prefetch(
        "supporting_agencies",
        queryset=Agency.objects.with_successors(names_only=True),
        to_attr="supporting_agency_list",
    )


def plan_activities(plan: YearlyPlan) -> QuerySet:
    """The plan's activities with their task area, lead and supporting agencies
    (`supporting_agency_list`) with their successors (`recorded_label`), indicator and latest
    progress; `plan_overview` adds their projects and cooperatives."""
    return _activity_rows(plan.pk).prefetch_related(_supporting_agencies())


# One task area's activities as `plan_activities(plan).filter(task_area_id=area)` reads them
# (without the prefetch), and their supporting agencies as its prefetch reads them (names and
# links, by name), as model instances from SQL compiled once per process (`core.prepared`):
# building and compiling these two queries was about half the CPU of a task area opened in
# place (docs/benchmarks.md, "Prepared model reads, sixth pass"). The prefetch was compiled
# anew for each request's list of activity ids; this read names the task area instead.
_AREA_ACTIVITIES = PreparedModels(
    lambda plan, area: _activity_rows(plan).filter(task_area_id=area), int, int
)
_AREA_SUPPORTING_AGENCIES = PreparedModels(
    lambda plan, area: (
        Agency.objects.with_successors(names_only=True)
        .filter(supported_activities__plan_id=plan, supported_activities__task_area_id=area)
        .annotate(supported_activity_id=F("supported_activities__id"))
        # The prefetch's order (Agency's default), one agency of a name before its namesake.
        .order_by("level", "name", "pk")
    ),
    int,
    int,
)
# The largest id an id column holds (BigAutoField): the ORM reads no row for a larger one
# (`?noi_dung=` with 2**64), and a database driver may refuse it as a parameter.
_MAX_ID = 2**63 - 1


def _area_activities(plan: YearlyPlan, area: int) -> list[Activity]:
    """`list(plan_activities(plan).filter(task_area_id=area))`: the same instances by as many
    queries (none for an id no row can have)."""
    if not 0 < area <= _MAX_ID:
        return []
    activities = _AREA_ACTIVITIES(plan.pk, area)
    if activities:
        supporting: dict[int, list[Agency]] = {}
        for agency in _AREA_SUPPORTING_AGENCIES(plan.pk, area):
            supporting.setdefault(agency.supported_activity_id, []).append(agency)
        for activity in activities:
            activity.supporting_agency_list = supporting.get(activity.pk, [])
    return activities


def _cooperatives_of(activities: QuerySet) -> QuerySet:
    return (
        Activity.cooperatives.through.objects.filter(activity__in=activities)
        .order_by("cooperative__name", "cooperative_id")
        .values_list("activity_id", "cooperative_id", "cooperative__name")
    )


def _projects_of(activities: QuerySet) -> QuerySet:
    return (
        Activity.ntp_projects.through.objects.filter(activity__in=activities)
        .order_by("ntpproject__number")
        .values_list("activity_id", "ntpproject_id", "ntpproject__number", "ntpproject__name")
    )


# The activities' cooperatives (names only) and NTP projects, for the whole plan or its one
# open task area: SQL compiled once per process (`core.prepared`). As prefetches they were
# compiled anew for each request's list of activity ids, which cost more CPU than reading the
# rows (docs/benchmarks.md, "The plan page, fifth pass").
_COOPERATIVES = PreparedQuery(lambda plan: _cooperatives_of(_in_plan(plan)), int)
_AREA_COOPERATIVES = PreparedQuery(
    lambda plan, area: _cooperatives_of(_in_plan(plan, area)), int, int
)
_PROJECTS = PreparedQuery(lambda plan: _projects_of(_in_plan(plan)), int)
_AREA_PROJECTS = PreparedQuery(lambda plan, area: _projects_of(_in_plan(plan, area)), int, int)


def _in_plan(plan: int, area: int | None = None) -> QuerySet:
    activities = Activity.objects.filter(plan_id=plan).values("pk")
    return activities if area is None else activities.filter(task_area_id=area)


def _add_cooperatives_and_projects(
    activities: list[Activity], plan: YearlyPlan, area: int | None
) -> None:
    """Set each activity's `cooperative_list` (cooperatives with their name only, by name) and
    `ntp_project_list` (by number), as `Prefetch(..., to_attr=...)` did; `area`: the activities
    are those of one task area."""
    if area is None:
        cooperatives, projects = _COOPERATIVES(plan.pk), _PROJECTS(plan.pk)
    else:
        cooperatives = _AREA_COOPERATIVES(plan.pk, area)
        projects = _AREA_PROJECTS(plan.pk, area)
    cooperatives_of: dict[int, list[Cooperative]] = {}
    for activity_id, pk, name in cooperatives:
        cooperatives_of.setdefault(activity_id, []).append(
            Cooperative.from_db("default", ["id", "name"], (pk, name))
        )
    projects_of: dict[int, list[NtpProject]] = {}
    for activity_id, pk, number, name in projects:
        projects_of.setdefault(activity_id, []).append(
            NtpProject.from_db("default", ["id", "number", "name"], (pk, number, name))
        )
    for activity in activities:
        activity.cooperative_list = cooperatives_of.get(activity.pk, [])
        activity.ntp_project_list = projects_of.get(activity.pk, [])


# Open every task area of a folded plan (`plan_overview(open_area=ALL_AREAS)`).
ALL_AREAS = "all"


def plan_overview(
    plan: YearlyPlan, *, fold_at: int | None = None, open_area: int | str | None = None
) -> PlanOverview:
    """Activities grouped under every task area of the program (empty ones too), with the
    number of activities and the planned budget per task area and per budget source (one
    grouped query). An activity counts its whole `planned_budget` under its one `budget_source`.

    A plan of more than `fold_at` activities (None: never) is folded: its task areas show their
    totals only, except `open_area` (a task area id, or ALL_AREAS), whose activities are
    loaded. A national-scale plan holds hundreds of activities; rendering them all took most of
    the plan page's time (docs/benchmarks.md, "Load")."""
    sums = (
        Activity.objects.filter(plan=plan)
        .values("task_area_id", "budget_source")
        .annotate(count=Count("pk"), budget=Sum("planned_budget"))
        .order_by()
    )
    totals = Totals()
    area_totals: dict[int, Totals] = {}
    for row in sums:
        amounts = {"source": row["budget_source"], "count": row["count"], "budget": row["budget"]}
        totals.add(**amounts)
        area_totals.setdefault(row["task_area_id"], Totals()).add(**amounts)
    folded = _folds(totals.count, fold_at)
    if not folded or open_area == ALL_AREAS:
        activities = list(plan_activities(plan))
        if activities:
            _add_cooperatives_and_projects(activities, plan, area=None)
    elif open_area:
        activities = _area_activities(plan, open_area)
        if activities:
            _add_cooperatives_and_projects(activities, plan, area=open_area)
    else:  # a folded plan with no task area open: no query to build
        activities = []
    by_area: dict[int, list[Activity]] = {}
    for activity in activities:
        by_area.setdefault(activity.task_area_id, []).append(activity)
    groups = [
        AreaGroup(
            area=area,
            activities=by_area.get(area.pk, []),
            totals=area_totals.get(area.pk, Totals()),
            folded=folded and open_area not in (ALL_AREAS, area.pk),
        )
        # Numbered within the program (the default order's first key, the program, would join
        # the program for nothing).
        for area in plan.program.task_areas.order_by("number")
    ]
    return PlanOverview(groups=groups, totals=totals, folded=folded)


def _folds(count: int, fold_at: int | None) -> bool:
    return fold_at is not None and count > fold_at


def plan_is_folded(plan: YearlyPlan, *, fold_at: int | None) -> bool:
    """Whether `plan_overview` folds this plan (more than `fold_at` activities)."""
    return _folds(plan.activities.count(), fold_at)


def party_decisions(plan: YearlyPlan) -> list[PartyDecision]:
    """Each party agency of the program with its decision in the current submission round.
    A draft shows only a return (why it came back); none at all before its first submission
    or after a reopening, whose reason the history shows. The parties are read with their
    successors into the program's `parties` (a prefetch), so that the page's sign-off
    (`plan_signoff`) reads them from there instead of again."""
    approvals = plan.approvals.filter(round=plan.submission_round).select_related("decided_by")
    if plan.is_draft:
        approvals = list(approvals.filter(decision=PlanApproval.Decision.RETURNED))
        if not approvals:
            return []
    decisions = {approval.agency_id: approval for approval in approvals}
    # Names and links only: the page shows each party's `recorded_label`, the sign-off its id.
    prefetch_related_objects(
        [plan.program],
        Prefetch("parties", queryset=Agency.objects.with_successors(names_only=True)),
    )
    return [
        PartyDecision(agency=agency, decision=decisions.get(agency.pk))
        for agency in plan.program.parties.all()
    ]
