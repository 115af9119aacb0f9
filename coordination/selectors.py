"""Reads behind the yearly plan pages. Each runs a fixed number of queries, however many
activities a plan has."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet, Sum, prefetch_related_objects

from agencies.models import Agency
from agencies.querysets import successor_path
from cooperatives.models import Cooperative

from .models import Activity, PlanApproval, TaskArea, YearlyPlan

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


def plan_activities(plan: YearlyPlan) -> QuerySet:
    """The plan's activities with everything their row shows: task area, lead and supporting
    agencies (`supporting_agency_list`) with their successors (`recorded_label`), indicator,
    projects (`ntp_project_list`), cooperatives (`cooperative_list`) and the latest progress."""
    return (
        Activity.objects.filter(plan=plan)
        .with_latest_progress()
        .select_related("task_area", successor_path("lead_agency"), "indicator")
        # The activities' default order within one plan; the default's first key (the plan)
        # would join the plan and its program only to sort by values every row shares.
        .order_by("task_area__number", "start_date", "pk")
        .prefetch_related(
            # Only the names are shown: smaller rows to fetch and build for a long plan. Plain
            # lists (`to_attr`): the template reads them without a queryset per activity.
            Prefetch(
                "supporting_agencies",
                queryset=Agency.objects.with_successors(names_only=True),
                to_attr="supporting_agency_list",
            ),
            Prefetch(
                "cooperatives",
                queryset=Cooperative.objects.only("name"),
                to_attr="cooperative_list",
            ),
            Prefetch("ntp_projects", to_attr="ntp_project_list"),
        )
    )


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
    activities = plan_activities(plan)
    if folded and open_area != ALL_AREAS:
        activities = activities.filter(task_area_id=open_area) if open_area else []
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
    prefetch_related_objects(
        [plan.program], Prefetch("parties", queryset=Agency.objects.with_successors())
    )
    return [
        PartyDecision(agency=agency, decision=decisions.get(agency.pk))
        for agency in plan.program.parties.all()
    ]
