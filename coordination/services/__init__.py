"""Writes in the coordination app: each one validates, runs in one transaction and returns the
saved object. Views and commands call these; they never save models directly.

`by` is the person making the change: it is written into the history (simple-history) and,
for the plan workflow, decides on whose behalf an approval counts."""

from .activities import (
    ACTIVITY_FIELDS,
    ACTIVITY_M2M,
    EditConflict,
    activity_create,
    activity_delete,
    activity_update,
    progress_record,
)
from .calendar import period_close, period_reopen
from .plans import (
    plan_approve,
    plan_attach_decision,
    plan_copy_from_previous_year,
    plan_create,
    plan_reopen,
    plan_return,
    plan_submit,
    plan_withdraw,
)
from .programs import (
    indicator_create,
    indicator_delete,
    indicator_update,
    phase_add,
    phase_delete,
    phase_update,
    program_create,
    program_update,
    task_area_add,
    task_area_delete,
    task_area_move,
    task_area_update,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "ACTIVITY_M2M",
    "EditConflict",
    "activity_create",
    "activity_delete",
    "activity_update",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "phase_add",
    "phase_delete",
    "period_close",
    "period_reopen",
    "phase_update",
    "plan_approve",
    "plan_attach_decision",
    "plan_copy_from_previous_year",
    "plan_create",
    "plan_reopen",
    "plan_return",
    "plan_submit",
    "plan_withdraw",
    "program_create",
    "program_update",
    "progress_record",
    "task_area_add",
    "task_area_delete",
    "task_area_move",
    "task_area_update",
]
