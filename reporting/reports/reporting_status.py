"""Who has reported: for one reporting period (coordination/periods.py), every program that
should report and the state of its sơ kết, and the same for the yearly plans of that year.

Counting rules:
- **Who should report**: the programs the reader oversees (`overseen_programs`) running in the
  period's year; a six-month period only for programs that have six-month reviews. Narrowed to
  a national program (itself and the provincial programs that carry it out, through
  `Program.national_program`) or to one provincial program.
- **Report state**, from every version of the period's report: *finalised* once a version is
  finalised (since its finalisation; `late_finalised` when that was after the deadline);
  otherwise *late* after the deadline (since the day after it), *draft* when a draft exists
  (since its first version was created), else *not started*.
- **Plan state**: *approved*, *submitted* (awaiting approval), otherwise *late* after
  `Program.plan_deadline(year)` (since the day after it) or *not submitted* (no plan, or a
  draft). Since = the plan's last change (the workflow step that put it there).

Three queries whatever the number of programs: programs, report versions, plans.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.access import access_for
from coordination import periods
from coordination.models import Program, YearlyPlan
from core.db import vi_order

from .models import Report

NOT_STARTED, DRAFT, FINALISED, LATE = "not_started", "draft", "finalised", "late"
REPORT_STATES = {
    NOT_STARTED: _("Chưa lập"),
    DRAFT: _("Đang dự thảo"),
    FINALISED: _("Đã hoàn thành"),
    LATE: _("Trễ hạn"),
}
NOT_SUBMITTED, SUBMITTED, APPROVED = "not_submitted", "submitted", "approved"
PLAN_STATES = {
    NOT_SUBMITTED: _("Chưa trình"),
    SUBMITTED: _("Chờ phê duyệt"),
    APPROVED: _("Đã phê duyệt"),
    LATE: _("Trễ hạn"),
}


def overseen_programs(programs: QuerySet, user) -> QuerySet:
    """Programs whose reporting the user follows: every program for the superuser and central
    managers and admins; otherwise those where one of the agencies the user manages or
    administers (or a predecessor it carries on) is a party. Staff follow none."""
    access = access_for(user)
    if not access.authenticated:
        return programs.none()
    if access.reads_everything:
        return programs
    leaders = access.manager_agency_ids | access.admin_agency_ids
    if not leaders:
        return programs.none()
    return programs.where_party(leaders)


@dataclass(frozen=True)
class ReportRow:
    program: Program
    state: str
    since: datetime.date | None
    deadline: datetime.date
    report_id: int | None
    version: int | None
    late_finalised: bool = False

    @property
    def state_label(self) -> str:
        return REPORT_STATES[self.state]


@dataclass(frozen=True)
class PlanRow:
    program: Program
    state: str
    since: datetime.date | None
    deadline: datetime.date
    plan_id: int | None

    @property
    def state_label(self) -> str:
        return PLAN_STATES[self.state]


def programs_to_report(
    programs: QuerySet, kind: str, year: int, *, program: Program | None = None
) -> list[Program]:
    """The programs of `programs` that report on the period of `kind` and `year` (see the
    module), national ones first, then by province and title."""
    rows = programs.filter(start_year__lte=year, end_year__gte=year)
    if kind == periods.HALF:
        rows = rows.filter(half_year_review=True)
    if program is not None:
        rows = rows.filter(Q(pk=program.pk) | Q(national_program_id=program.pk))
    return list(
        rows.select_related("province").order_by(
            "level", vi_order("province__name"), vi_order("title"), "pk"
        )
    )


def report_rows(
    programs: list[Program], kind: str, year: int, *, today: datetime.date | None = None
) -> list[ReportRow]:
    """The state of each program's report of the period of `kind` and `year` (one query)."""
    today = today or timezone.localdate()
    versions = defaultdict(list)
    for row in (
        Report.objects.filter(program__in=[p.pk for p in programs], kind=kind, year=year)
        .order_by("version")
        .values("pk", "program_id", "version", "status", "created_at", "finalised_at")
    ):
        versions[row["program_id"]].append(row)
    rows = []
    for program in programs:
        deadline = periods.period_for(program, kind, year).deadline
        mine = versions.get(program.pk, [])
        finalised = [v for v in mine if v["status"] == Report.Status.FINALISED]
        latest = mine[-1] if mine else None
        if finalised:
            done = timezone.localdate(finalised[-1]["finalised_at"])
            rows.append(
                ReportRow(program, FINALISED, done, deadline, finalised[-1]["pk"],
                          finalised[-1]["version"], late_finalised=done > deadline)
            )  # fmt: skip
        elif today > deadline:
            rows.append(
                ReportRow(program, LATE, deadline + datetime.timedelta(days=1), deadline,
                          latest and latest["pk"], latest and latest["version"])
            )  # fmt: skip
        elif latest:
            started = timezone.localdate(mine[0]["created_at"])
            rows.append(
                ReportRow(program, DRAFT, started, deadline, latest["pk"], latest["version"])
            )
        else:
            rows.append(ReportRow(program, NOT_STARTED, None, deadline, None, None))
    return rows


def plan_rows(
    programs: list[Program], year: int, *, today: datetime.date | None = None
) -> list[PlanRow]:
    """The state of each program's yearly plan of `year` (two queries: the plans, and the
    history of those submitted or approved for since when)."""
    today = today or timezone.localdate()
    plans = {
        plan["program_id"]: plan
        for plan in YearlyPlan.objects.filter(
            program__in=[p.pk for p in programs], year=year
        ).values("pk", "program_id", "status", "created_at", "updated_at")
    }
    waiting_or_approved = [
        plan["pk"]
        for plan in plans.values()
        if plan["status"] in (YearlyPlan.Status.SUBMITTED, YearlyPlan.Status.APPROVED)
    ]
    entered = (
        YearlyPlan.objects.filter(pk__in=waiting_or_approved).status_since()
        if waiting_or_approved
        else {}
    )
    rows = []
    for program in programs:
        deadline = program.plan_deadline(year)
        plan = plans.get(program.pk)
        status = plan["status"] if plan else None
        plan_id = plan["pk"] if plan else None
        if status in (YearlyPlan.Status.APPROVED, YearlyPlan.Status.SUBMITTED):
            state = APPROVED if status == YearlyPlan.Status.APPROVED else SUBMITTED
            since = timezone.localdate(entered.get(plan_id, plan["updated_at"]))
        elif today > deadline:
            state, since = LATE, deadline + datetime.timedelta(days=1)
        else:
            state, since = NOT_SUBMITTED, timezone.localdate(plan["created_at"]) if plan else None
        rows.append(PlanRow(program, state, since, deadline, plan_id))
    return rows


def summary(rows, states: dict) -> list[tuple[str, int]]:
    """(state label, how many rows) for each state, in the order of `states`."""
    tally: dict[str, int] = defaultdict(int)
    for row in rows:
        tally[row.state] += 1
    return [(label, tally[state]) for state, label in states.items()]
