"""Writes of the reporting calendar: reopening a closed period and closing it again
(coordination/periods.py has the rules, `PeriodReopening` the record)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import periods
from ..models import PeriodReopening, Program


@transaction.atomic
def period_reopen(
    *,
    program: Program,
    kind: str,
    year: int,
    reason: str,
    by,
    until: datetime.date | None = None,
    today: datetime.date | None = None,
) -> PeriodReopening:
    """Reopen a period of `program` past its deadline, so progress dated in its window may
    change again until `until` (or until closed again). Refused for a period the program does
    not report on, one not yet due, one already open, and an `until` before today."""
    today = today or timezone.localdate()
    program = Program.objects.select_for_update().get(pk=program.pk)
    if kind not in periods.kinds_of(program):
        raise ValidationError({"kind": _("Chương trình không có kỳ báo cáo này.")})
    reopening = PeriodReopening(
        program=program, kind=kind, year=year, reason=reason, until=until, reopened_by=by
    )
    reopening.full_clean(exclude=["reopened_by"])
    period = periods.period_for(program, kind, year)
    if not program.closes_periods or not period.is_past_deadline(today):
        raise ValidationError(
            {
                "kind": _("%(period)s chưa khóa: tiến độ trong kỳ vẫn cập nhật được.")
                % {"period": period.label}
            }
        )
    if program.period_reopenings.open_on(today).filter(kind=kind, year=year).exists():
        raise ValidationError(
            {"kind": _("%(period)s đang được mở lại.") % {"period": period.label}}
        )
    if until is not None and until < today:
        raise ValidationError({"until": _("Ngày mở đến không được trước hôm nay.")})
    reopening.save()
    return reopening


@transaction.atomic
def period_close(*, reopening: PeriodReopening, by) -> PeriodReopening:
    """Close a reopened period again before its `until`; the reopening stays in the history."""
    reopening = PeriodReopening.objects.select_for_update().get(pk=reopening.pk)
    if not reopening.is_open(timezone.localdate()):
        raise ValidationError(_("Kỳ báo cáo này đã khóa lại."))
    reopening.closed_at = timezone.now()
    reopening.closed_by = by
    reopening.save(update_fields=["closed_at", "closed_by"])
    return reopening
