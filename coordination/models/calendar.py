"""The reopening of a closed reporting period (coordination/periods.py): a manager of a party
agency lets progress dated in the period's window change again after its deadline, with a
reason, until a date or until someone closes it again. Rows are never deleted: they are the
period's history, shown on the program page."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import clean_paragraphs

from .. import periods
from .program import Program


class PeriodReopeningQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        """Reopenings in force on `day`: not closed again, and `until` (if any) not passed.
        The SQL twin of `PeriodReopening.is_open`."""
        return self.filter(closed_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gte=day))


class PeriodReopening(models.Model):
    """One reopening of a program's reporting period (kind and year) after its deadline."""

    class Kind(models.TextChoices):
        ANNUAL = periods.ANNUAL, _("Sơ kết năm")
        HALF = periods.HALF, _("Sơ kết 6 tháng")

    program = models.ForeignKey(
        Program,
        verbose_name=_("chương trình"),
        on_delete=models.CASCADE,
        related_name="period_reopenings",
    )
    kind = models.CharField(_("kỳ báo cáo"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    reason = models.TextField(_("lý do mở lại"))
    until = models.DateField(
        _("mở đến ngày"), null=True, blank=True, help_text=_("Để trống: mở đến khi khóa lại.")
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở lại"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("mở lại lúc"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khóa lại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("khóa lại lúc"), null=True, blank=True)

    objects = PeriodReopeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("mở lại kỳ báo cáo")
        verbose_name_plural = _("mở lại kỳ báo cáo")
        ordering = ["program", "-reopened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period.label} — {self.program}"

    def save(self, *args, **kwargs):
        self.reason = clean_paragraphs(self.reason)
        super().save(*args, **kwargs)

    def clean(self):
        if not clean_paragraphs(self.reason or ""):
            raise ValidationError({"reason": _("Nhập lý do mở lại kỳ báo cáo.")})
        if self.program_id and self.year is not None and self.year not in self.program.years:
            raise ValidationError(
                {
                    "year": _("Năm phải nằm trong thời gian của chương trình (%(start)s–%(end)s).")
                    % {"start": self.program.start_year, "end": self.program.end_year}
                }
            )

    @property
    def period(self) -> periods.Period:
        return periods.period_for(self.program, self.kind, self.year)

    def is_open(self, day: datetime.date) -> bool:
        """Whether the reopening is in force on `day` (the twin of `open_on`)."""
        return self.closed_at is None and (self.until is None or self.until >= day)
