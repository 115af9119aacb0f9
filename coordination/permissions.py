"""The one permission check of the coordination pages. Every view fetches what it works on
through `get_for(user, ...)`; the rules themselves are the QuerySet methods:

- read:    `visible_to(user)`    — otherwise 404, so a title never leaks;
- write:   `editable_by(user)`   — otherwise 403 (the user may see it but not change it);
- approve: `approvable_by(user)` — otherwise 403.

Anonymous users never get here: the views require login and send them to the login page.
Whether an object's state allows a change (a locked plan, a plan not yet submitted) is a
business rule of the services, which refuse it with a message.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.access import access_for
from agencies.models import Agency
from core.permissions import get_or_refuse

from .models import Activity, Program, YearlyPlan


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    APPROVE = "approve"


_REFUSALS = {
    Action.WRITE: _("Bạn được xem nhưng không được thay đổi nội dung này."),
    Action.APPROVE: _("Chỉ lãnh đạo cơ quan tham gia chương trình mới được phê duyệt kế hoạch."),
}


def allowed(queryset: models.QuerySet, user, action: Action) -> models.QuerySet:
    """`queryset` narrowed to what `user` may do `action` on."""
    if action == Action.READ:
        return queryset.visible_to(user)
    if action == Action.WRITE:
        return queryset.editable_by(user)
    return queryset.approvable_by(user)


def allows(user, obj: models.Model, action: Action) -> bool:
    """Whether `user` may do `action` on `obj` (to show or hide a button)."""
    return allowed(type(obj).objects.all(), user, action).filter(pk=obj.pk).exists()


def get_for(user, queryset: models.QuerySet, action: Action = Action.READ, **lookup):
    """The object matching `lookup` if `user` may do `action` on it: 404 when they may not even
    see it, 403 when they may see it but not do `action`."""
    return get_or_refuse(
        queryset,
        readable=lambda qs: allowed(qs, user, Action.READ),
        permitted=None if action == Action.READ else lambda qs: allowed(qs, user, action),
        refusal=_REFUSALS.get(action, ""),
        **lookup,
    )


@dataclass(frozen=True)
class PlanPermissions:
    """What the user may do on one plan page, worked out in a fixed number of queries."""

    can_edit: bool
    can_approve: bool
    approver_agency_ids: frozenset[int]
    editable_activity_ids: frozenset[int]

    def can_edit_activity(self, activity: Activity) -> bool:
        return self.can_edit or activity.pk in self.editable_activity_ids


def plan_permissions(user, plan: YearlyPlan) -> PlanPermissions:
    """The user's rights on `plan`: edit its content, approve it (and for which party agencies),
    and which activities they may report progress on."""
    can_edit = allows(user, plan, Action.WRITE)
    approver_ids = frozenset(agency.pk for agency in managed_parties(user, plan.program))
    editable_ids = (
        frozenset()
        if can_edit
        else frozenset(
            Activity.objects.filter(plan=plan).editable_by(user).values_list("pk", flat=True)
        )
    )
    return PlanPermissions(
        can_edit=can_edit,
        can_approve=bool(approver_ids),
        approver_agency_ids=approver_ids,
        editable_activity_ids=editable_ids,
    )


def managed_parties(user, program: Program) -> list[Agency]:
    """The party agencies of `program` on whose behalf `user` decides as a manager (their
    agency or one it carries on): the same rule as `approvable_by`, per agency."""
    managed = access_for(user).manager_agency_ids
    return [agency for agency in program.parties.all() if agency.pk in managed]
