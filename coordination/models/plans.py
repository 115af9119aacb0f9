"""A program's yearly plans and each party agency's decisions on them."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency

from ..querysets import PlanQuerySet
from .program import Program


def plan_decision_path(instance: "YearlyPlan", filename: str) -> str:
    """A random name: the uploader's name is kept in `decision_name`, never used as a path."""
    return f"plans/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class YearlyPlan(models.Model):
    """The joint yearly plan (kế hoạch năm) of a program.

    Workflow: draft → submitted (staff) → approved once a manager of every party agency has
    approved (`PlanApproval`); a manager may return a submitted plan or reopen an approved one
    (draft again), each with a reason kept in the history. `submission_round` counts submissions
    so that approvals of an earlier round no longer count."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        # The state, not the button ("Trình duyệt"): the plan waits for the managers.
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã phê duyệt")

    class BackToDraft(models.TextChoices):
        """Why a draft is a draft again, shown to staff instead of a plain "Dự thảo"."""

        RETURNED = "returned", _("Bị trả lại")
        REOPENED = "reopened", _("Mở lại")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    back_to_draft = models.CharField(
        _("dự thảo trở lại vì"), max_length=10, choices=BackToDraft.choices, blank=True
    )
    back_to_draft_reason = models.TextField(_("lý do trả lại hoặc mở lại"), blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    # The signed plan decision (a PDF, checked by content): served only by `plan_decision`.
    decision = models.FileField(
        _("quyết định ký"), upload_to=plan_decision_path, blank=True, max_length=300
    )
    decision_name = models.CharField(_("tên tệp quyết định"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    submission_round = models.PositiveIntegerField(_("lần trình"), default=0, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # Reasons for returning or reopening a plan are kept whole, hence a text field.
    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        ordering = ["program", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="plan_one_per_program_year")
        ]

    def __str__(self) -> str:
        return _("Kế hoạch năm %(year)s — %(program)s") % {
            "year": self.year,
            "program": self.program,
        }

    def get_absolute_url(self) -> str:
        return reverse("coordination:plan_detail", args=[self.pk])

    def clean(self):
        if not self.program_id or self.year is None:  # year 0 is checked, not skipped
            return
        if self.year not in self.program.years:
            raise ValidationError(
                {
                    "year": _(
                        "Năm kế hoạch phải nằm trong thời gian của chương trình (%(start)s–%(end)s)."
                    )
                    % {"start": self.program.start_year, "end": self.program.end_year}
                }
            )
        # Said here, next to the year, rather than by the unique constraint's general message.
        twin = YearlyPlan.objects.filter(program_id=self.program_id, year=self.year)
        if twin.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"year": _("Chương trình đã có kế hoạch năm %(year)s.") % {"year": self.year}}
            )

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def is_locked(self) -> bool:
        """Activities change only while the plan is a draft."""
        return not self.is_draft

    # The workflow's state predicates: the services refuse a step when its predicate is false
    # and the plan page (`permissions.PlanPermissions`) offers it only when it is true.
    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def can_be_submitted(self) -> bool:
        """Staff send a draft to the party agencies' managers (`plan_submit`, which also
        wants at least one activity)."""
        return self.is_draft

    @property
    def can_be_decided(self) -> bool:
        """Managers of the party agencies approve or return a submitted plan."""
        return self.status == self.Status.SUBMITTED

    @property
    def can_be_reopened(self) -> bool:
        """A manager of a party agency reopens an approved plan (draft again)."""
        return self.is_approved

    @property
    def can_be_withdrawn(self) -> bool:
        """Staff take a submitted plan back to draft while no party agency has decided on
        this submission (one query, only for a submitted plan)."""
        return (
            self.status == self.Status.SUBMITTED
            and not self.approvals.filter(round=self.submission_round).exists()
        )

    @property
    def status_label(self) -> str:
        """The state as staff read it: a returned or reopened draft says so."""
        if self.is_draft and self.back_to_draft:
            return self.get_back_to_draft_display()
        return self.get_status_display()

    @property
    def status_class(self) -> str:
        """The badge's CSS class, beside `status_label`."""
        return self.back_to_draft if self.is_draft and self.back_to_draft else self.status


class PlanApproval(models.Model):
    """One party agency's decision on a submitted plan: approved, or returned with a reason.

    A row belongs to a submission round; the plan is approved once every party agency has an
    'approved' row in the current round."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Phê duyệt")
        RETURNED = "returned", _("Trả lại")

    plan = models.ForeignKey(
        YearlyPlan,
        verbose_name=_("kế hoạch năm"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    round = models.PositiveIntegerField(_("lần trình"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="plan_approvals"
    )
    decision = models.CharField(_("quyết định"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("lý do"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="plan_approvals",
    )
    decided_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("phê duyệt kế hoạch")
        verbose_name_plural = _("phê duyệt kế hoạch")
        ordering = ["plan", "round", "decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "round", "agency"], name="plan_approval_one_per_agency_round"
            ),
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(reason=""),
                name="plan_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.agency}: {self.get_decision_display()}"
