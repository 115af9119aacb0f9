"""The coordination models, one module per topic: `program` (a program and what is fixed for
its span), `plans` (yearly plans and their approvals), `activities` (activities and progress
updates), `summary` (the dashboards' summary rows, recounted with every write). Every name is re-exported here, so `coordination.models.X` keeps working, including
`coordination.models.attachment_path` named by migration 0001."""

from .activities import Activity, ProgressUpdate, activity_history, attachment_path
from .calendar import PeriodReopening
from .plans import PlanApproval, YearlyPlan
from .program import (
    STANDARD_TASK_AREAS,
    DeadlineRule,
    Indicator,
    NtpProject,
    Phase,
    PhaseTarget,
    Program,
    StandardArea,
    TaskArea,
    format_amount,
    target_display,
    validate_parties,
)
from .summary import ActivityTally, CooperativeReach, SupportedCooperative

__all__ = [
    "STANDARD_TASK_AREAS",
    "Activity",
    "ActivityTally",
    "CooperativeReach",
    "DeadlineRule",
    "Indicator",
    "NtpProject",
    "Phase",
    "PhaseTarget",
    "PeriodReopening",
    "PlanApproval",
    "Program",
    "ProgressUpdate",
    "StandardArea",
    "SupportedCooperative",
    "TaskArea",
    "YearlyPlan",
    "activity_history",
    "attachment_path",
    "format_amount",
    "target_display",
    "validate_parties",
]
