"""The one permission check of the report pages. Each view fetches what it works on through
`get_for(user, queryset, action, pk=…)`; the rules are the QuerySet methods:

- read:     `visible_to(user)`     — otherwise 404, so a title never leaks;
- write:    `editable_by(user)`    — otherwise 403 (staff of a party agency edit drafts);
- finalise: `finalisable_by(user)` — otherwise 403 (a manager of a party agency).

Whether the report's state allows the change (a finalised report is frozen) is a rule of the
services, which refuse it with a message."""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.access import access_for
from coordination.models import Program
from core.permissions import get_or_refuse

from .querysets import writable_programs


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    FINALISE = "finalise"


_REFUSALS = {
    Action.WRITE: _("Bạn được xem nhưng không được thay đổi nội dung này."),
    Action.FINALISE: _("Chỉ lãnh đạo cơ quan tham gia chương trình mới được xác nhận báo cáo."),
}


def _allowed(queryset: models.QuerySet, user, action: Action) -> models.QuerySet:
    if action == Action.READ:
        return queryset.visible_to(user)
    if queryset.model is Program:
        if action != Action.WRITE:
            raise ValueError(action)
        return queryset.filter(pk__in=writable_programs(user).values("pk"))
    if action == Action.WRITE:
        return queryset.editable_by(user)
    return queryset.finalisable_by(user)


def get_for(user, queryset: models.QuerySet, action: Action = Action.READ, **lookup):
    """The object matching `lookup` if `user` may do `action` on it: 404 when they may not even
    see it, 403 when they may see it but not do `action`."""
    return get_or_refuse(
        queryset,
        readable=lambda qs: _allowed(qs, user, Action.READ),
        permitted=None if action == Action.READ else lambda qs: _allowed(qs, user, action),
        refusal=_REFUSALS.get(action, ""),
        **lookup,
    )


@dataclass(frozen=True)
class ReportPermissions:
    """What the user may do on one report page."""

    can_edit: bool
    finalise_agency_ids: frozenset[int]

    @property
    def can_finalise(self) -> bool:
        return bool(self.finalise_agency_ids)


def report_permissions(user, report) -> ReportPermissions:
    """The user's rights on `report`: edit it (while a draft) and finalise it for which of its
    party agencies (those they manage that have not finalised yet)."""
    can_edit = writable_programs(user).filter(pk=report.program_id).exists()
    managed = access_for(user).manager_agency_ids
    pending = frozenset(
        s.agency_id
        for s in report.signatories.all()
        if s.agency_id in managed and not s.is_finalised
    )
    return ReportPermissions(
        can_edit=can_edit and report.is_draft,
        finalise_agency_ids=pending if report.is_draft else frozenset(),
    )
