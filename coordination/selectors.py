"""Reads behind the yearly plan pages. Each runs a fixed number of queries, however many
activities a plan has."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from agencies.models import Agency
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

    def add(self, activity: Activity) -> None:
        self.count += 1
        self.budget += activity.planned_budget
        self.by_source[activity.budget_source] += activity.planned_budget

    @property
    def source_amounts(self) -> list[int]:
        return [self.by_source[source] for source in SOURCES]


@dataclass
class AreaGroup:
    area: TaskArea
    activities: list[Activity]
    totals: Totals


@dataclass
class PlanOverview:
    groups: list[AreaGroup]
    totals: Totals

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
    agencies (`supporting_agency_list`), indicator, projects (`ntp_project_list`), cooperatives
    (`cooperative_list`) and the latest progress."""
    return (
        Activity.objects.filter(plan=plan)
        .with_latest_progress()
        .select_related("task_area", "lead_agency", "indicator")
        .prefetch_related(
            # Only the names are shown: smaller rows to fetch and build for a long plan. Plain
            # lists (`to_attr`): the template reads them without a queryset per activity.
            Prefetch(
                "supporting_agencies",
                queryset=Agency.objects.only("name"),
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


def plan_overview(plan: YearlyPlan) -> PlanOverview:
    """Activities grouped under every task area of the program (empty ones too), with the
    number of activities and the planned budget per task area and per budget source. An
    activity counts its whole `planned_budget` under its one `budget_source`."""
    activities = list(plan_activities(plan))
    totals = Totals()
    groups = []
    for area in plan.program.task_areas.all():
        items = [a for a in activities if a.task_area_id == area.pk]
        area_totals = Totals()
        for activity in items:
            area_totals.add(activity)
            totals.add(activity)
        groups.append(AreaGroup(area=area, activities=items, totals=area_totals))
    return PlanOverview(groups=groups, totals=totals)


def party_decisions(plan: YearlyPlan) -> list[PartyDecision]:
    """Each party agency of the program with its decision in the current submission round.
    A draft shows only a return (why it came back); none at all before its first submission
    or after a reopening, whose reason the history shows."""
    approvals = plan.approvals.filter(round=plan.submission_round).select_related("decided_by")
    if plan.status == YearlyPlan.Status.DRAFT:
        approvals = approvals.filter(decision=PlanApproval.Decision.RETURNED)
        if not approvals.exists():
            return []
    decisions = {approval.agency_id: approval for approval in approvals}
    return [
        PartyDecision(agency=agency, decision=decisions.get(agency.pk))
        for agency in plan.program.parties.all()
    ]
