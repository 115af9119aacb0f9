"""The draft lock shared by the plan and activity writes: a plan's row locked for the
transaction, and its activities change only while it is a draft."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    YearlyPlan,
)


def lock_plan(plan: YearlyPlan) -> YearlyPlan:
    """The plan's row, locked until the transaction ends (PostgreSQL), so that a submission
    and an edit of its activities cannot interleave."""
    return YearlyPlan.objects.select_for_update().select_related("program").get(pk=plan.pk)


def require_draft(plan: YearlyPlan) -> None:
    if plan.is_locked:
        raise ValidationError(
            _("Kế hoạch đang %(status)s: hoạt động đã bị khóa, không thay đổi được.")
            % {"status": plan.get_status_display().lower()},
            code="locked",
        )
