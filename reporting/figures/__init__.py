"""The counting rules: every figure a manager sees, aggregated in the database.

Dashboards (`reporting.dashboards`) and the sơ kết / tổng kết reports (`reporting.reports`) both
read these functions, so a number means the same everywhere. Each function takes

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
- **Reports' windows** (`window`, `as_of`; never set by the dashboards): a sơ kết's Nghị định
  09 window keeps the `years`' activities that start by its last day plus every activity with
  progress dated inside it; progress then counts as of the window's last day (the newest
  update dated on or before it), for status, spending and achieved values alike.
- **Cooperatives supported**: distinct cooperatives linked to at least one counted activity.

Modules, by topic: `scope` (filters, the scope's programs, the activities every figure counts),
`tally` (counts by status, overdue, budget; one grouped query), `activities`, `provinces` (the
roll-up into the current 34 units), `plans`, `indicators`, `cooperatives`, `trend`. Callers
import the package: `from reporting import figures; figures.activity_totals(scope, filters)`.
"""

from .activities import (
    AreaRow,
    Breakdown,
    activities_by_province,
    activity_breakdown,
    activity_totals,
    budget_summary,
    completion_by_standard_area,
    completion_by_task_area,
    overdue_activities,
)
from .cooperatives import (
    CommuneRow,
    CooperativeSummary,
    cooperatives_by_commune,
    cooperatives_supported,
    supported_cooperatives,
)
from .indicators import IndicatorProgress, combine_years, indicator_progress
from .plans import PlanRow, plan_list, plan_status_by_province, programs_without_plan
from .provinces import ProvinceRow, dashboard_provinces
from .scope import (
    DONE,
    NATIONAL,
    NOT_STARTED,
    PLAN_STATUSES,
    STATUSES,
    Filters,
    Scope,
    activities_in,
    activity_list,
    scope_programs,
    with_status,
)
from .tally import Tally, percent
from .trend import YearRow, yearly_trend

__all__ = [
    "DONE",
    "NATIONAL",
    "NOT_STARTED",
    "PLAN_STATUSES",
    "STATUSES",
    "AreaRow",
    "Breakdown",
    "CommuneRow",
    "CooperativeSummary",
    "Filters",
    "IndicatorProgress",
    "PlanRow",
    "ProvinceRow",
    "Scope",
    "Tally",
    "YearRow",
    "activities_by_province",
    "activities_in",
    "activity_breakdown",
    "activity_list",
    "activity_totals",
    "budget_summary",
    "combine_years",
    "completion_by_standard_area",
    "completion_by_task_area",
    "cooperatives_by_commune",
    "cooperatives_supported",
    "dashboard_provinces",
    "indicator_progress",
    "overdue_activities",
    "percent",
    "plan_list",
    "plan_status_by_province",
    "programs_without_plan",
    "scope_programs",
    "supported_cooperatives",
    "with_status",
    "yearly_trend",
]
