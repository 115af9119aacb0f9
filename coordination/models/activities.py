"""The activities of a yearly plan and their dated progress updates (with attachments)."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from cooperatives.models import Cooperative
from core.text import clean_text

from .. import periods
from ..attachments import served_name
from ..querysets import ActivityQuerySet, ProgressUpdateQuerySet, is_overdue
from .plans import YearlyPlan
from .program import Indicator, NtpProject, Program, TaskArea
from .summary import SupportedCooperative, recount_plans, recount_reach

# Held at module level so that the services can write one history entry after setting the
# many-to-many values: by itself simple-history adds an entry for every `.set()`.
activity_history = HistoricalRecords(
    excluded_fields=["updated_at"],
    m2m_fields=["supporting_agencies", "cooperatives", "ntp_projects"],
)


class Activity(models.Model):
    """A concrete activity (hoạt động) of a yearly plan under one task area.

    `planned_budget` is the activity's whole planned budget; `budget_source` says where it comes
    from, required with a budget except on a `past_record`. `version` grows by one with every change made through the services, which refuse a
    change based on an older version (optimistic locking)."""

    class BudgetSource(models.TextChoices):
        CENTRAL = "central", _("Ngân sách trung ương")
        LOCAL = "local", _("Ngân sách địa phương")
        INTEGRATED = "integrated", _("Lồng ghép từ các chương trình khác")
        MOBILISED = "mobilised", _("Huy động")

    plan = models.ForeignKey(
        YearlyPlan,
        verbose_name=_("kế hoạch năm"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    task_area = models.ForeignKey(
        TaskArea,
        verbose_name=_("nội dung phối hợp"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("tên hoạt động"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="led_activities",
    )
    supporting_agencies = models.ManyToManyField(
        Agency, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="supported_activities"
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    planned_budget = models.BigIntegerField(
        _("kinh phí dự kiến (đồng)"), default=0, validators=[MinValueValidator(0)]
    )
    budget_source = models.CharField(
        _("nguồn kinh phí"), max_length=12, choices=BudgetSource.choices, blank=True
    )
    ntp_projects = models.ManyToManyField(
        NtpProject,
        verbose_name=_("dự án thuộc Chương trình MTQG 1719"),
        blank=True,
        related_name="activities",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ số"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    target_value = models.DecimalField(
        _("chỉ tiêu"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cooperatives = models.ManyToManyField(
        Cooperative, verbose_name=_("HTX được hỗ trợ"), blank=True, related_name="activities"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = activity_history

    objects = ActivityQuerySet.as_manager()

    # Not a field: True on an activity recorded as it was in a past plan (a loader's, or a copy
    # of one), which may predate budget sources; `clean()` then lets its budget lack one.
    past_record = False

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["plan", "task_area__number", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="activity_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(planned_budget__gte=0), name="activity_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="activity_target_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["end_date"], name="activity_end_date_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = clean_text(self.title)
        # The row and its plan's summary (`summary.ActivityTally`) change together; an activity
        # moved to another plan (the admin allows it) recounts the plan it left as well.
        with transaction.atomic(using=kwargs.get("using")):
            before = None
            if self.pk is not None and not self._state.adding:
                before = Activity.objects.filter(pk=self.pk).values_list("plan_id", flat=True)
                before = before.first()
            super().save(*args, **kwargs)
            recount_plans([self.plan_id, before])

    def get_absolute_url(self) -> str:
        return reverse("coordination:activity_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        if self.plan_id:
            plan = self.plan
            for name in ("start_date", "end_date"):
                day = getattr(self, name)
                if day and day.year != plan.year:
                    errors.setdefault(
                        name, _("Ngày phải nằm trong năm kế hoạch %(year)s.") % {"year": plan.year}
                    )
            if self.task_area_id and self.task_area.program_id != plan.program_id:
                errors["task_area"] = _("Nội dung phối hợp không thuộc chương trình của kế hoạch.")
            if self.indicator_id and self.indicator.program_id != plan.program_id:
                errors["indicator"] = _("Chỉ số không thuộc chương trình của kế hoạch.")
        if self.planned_budget is not None and self.planned_budget < 0:
            errors["planned_budget"] = _("Kinh phí không được âm.")
        if self.planned_budget and not self.budget_source and not self.past_record:
            errors["budget_source"] = _("Chọn nguồn kinh phí.")
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Whether the activity is overdue (`querysets.is_overdue`): from `latest_status` when
        `with_latest_progress()` annotated it, else from the latest update."""
        if hasattr(self, "latest_status"):
            status = self.latest_status
        else:
            status = (
                self.progress_updates.filter(is_latest=True)
                .values_list("status", flat=True)
                .first()
            )
        return is_overdue(
            end_date=self.end_date, status=status, today=today or timezone.localdate()
        )

    @property
    def latest_status_label(self) -> str:
        """The label of `latest_status`, annotated by `with_latest_progress()`."""
        status = getattr(self, "latest_status", None)
        return ProgressUpdate.Status(status).label if status else ""


def attachment_path(instance: "ProgressUpdate", filename: str) -> str:
    """A random name under the activity's folder: the uploader's name is kept in
    `attachment_name`, never used as a path, and the extension is the one found by content."""
    extension = Path(filename).suffix.lower()
    return f"progress/{instance.activity.plan.year}/{instance.activity_id}/{uuid.uuid4().hex}{extension}"


class ProgressUpdate(models.Model):
    """A dated report of an activity's progress (tiến độ). The latest one is the activity's state."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")
        DELAYED = "delayed", _("Chậm tiến độ")
        CANCELLED = "cancelled", _("Hủy")

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("hoạt động"),
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    reported_on = models.DateField(_("ngày cập nhật"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(
        _("tỷ lệ hoàn thành (%)"),
        default=0,
        # One message for both ends, said once (clean() does not repeat it).
        validators=[
            MinValueValidator(0, message=_("Tỷ lệ hoàn thành phải từ 0 đến 100.")),
            MaxValueValidator(100, message=_("Tỷ lệ hoàn thành phải từ 0 đến 100.")),
        ],
    )
    actual_value = models.DecimalField(
        _("kết quả đạt được"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # What was achieved in words, beside the number an indicator adds up ("2 lớp, 80 học viên").
    result_text = models.TextField(_("kết quả đạt được (mô tả)"), blank=True)
    budget_spent = models.BigIntegerField(
        _("kinh phí đã sử dụng (đồng)"), default=0, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("ghi chú"), blank=True)
    attachment = models.FileField(
        _("tệp đính kèm"), upload_to=attachment_path, blank=True, max_length=300
    )
    attachment_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # True on the activity's newest update only: its status, spending and value are the
    # activity's state. Kept by `save()` and the delete signal below through
    # `ProgressUpdateQuerySet.mark_latest()`, so the dashboards join one row per activity
    # instead of looking for the newest update of each (docs/benchmarks.md, "Load").
    is_latest = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["is_latest"])

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["activity", "-reported_on", "-created_at", "-pk"]
        get_latest_by = ["reported_on", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="progress_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(budget_spent__gte=0), name="progress_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(actual_value__isnull=True) | Q(actual_value__gte=0),
                name="progress_actual_not_negative",
            ),
        ]
        indexes = [
            # Finds an activity's latest update and reads its status, spending and value from
            # the index alone (the dashboards do this for every activity they count).
            models.Index(
                fields=[
                    "activity",
                    "-reported_on",
                    "-created_at",
                    "-id",
                    "status",
                    "budget_spent",
                    "actual_value",
                ],
                name="progress_latest_cover_idx",
            )
        ]
        constraints += [
            # At most one latest update per activity; also the index the dashboards' join uses.
            models.UniqueConstraint(
                fields=["activity"], condition=Q(is_latest=True), name="progress_one_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.get_status_display()} {self.percent}%"

    def save(self, *args, **kwargs):
        # The row and the activity's latest flag change together.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            ProgressUpdate.objects.filter(activity_id=self.activity_id).mark_latest()
            _recount_progress_of(self.activity_id)

    def get_attachment_url(self) -> str:
        """The permission-checked download; files are never served from MEDIA_URL."""
        return reverse("coordination:progress_attachment", args=[self.pk])

    @property
    def attachment_download_name(self) -> str:
        """The uploader's file name with the extension of the kind its content was checked to
        be (`attachments.served_name`): what the page shows and the download is called."""
        return served_name(self.attachment_name, self.attachment.name) if self.attachment else ""

    def clean(self):
        errors = {}
        # Today in Vietnam (TIME_ZONE), not in UTC: just after midnight it is already tomorrow.
        if self.reported_on and self.reported_on > timezone.localdate():
            errors["reported_on"] = _("Ngày cập nhật không được sau hôm nay.")
        # The 0–100 range is the field's validators' to say (once); a percent out of range
        # gets no second message here.
        in_range = self.percent is not None and 0 <= self.percent <= 100
        if self.status == self.Status.DONE and in_range and self.percent != 100:
            errors["percent"] = _("Hoạt động hoàn thành phải đạt 100%.")
        if self.activity_id and self.reported_on and "reported_on" not in errors:
            closed = self.closing_period()
            if closed is not None:
                errors["reported_on"] = periods.closed_message(closed)
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        closed = self.closing_period()
        if closed is not None:
            raise ValidationError(periods.closed_message(closed), code="period_closed")
        return super().delete(*args, **kwargs)

    def closing_period(self, today: datetime.date | None = None) -> "periods.Period | None":
        """The closed reporting period that refuses adding, changing or deleting this update
        (`periods.closing_period` for its date, and for a saved update the date it was saved
        with), or None when it may change."""
        today = today or timezone.localdate()
        program = self.activity.plan.program
        days = {self.reported_on}
        if self.pk:
            days.add(
                ProgressUpdate.objects.filter(pk=self.pk)
                .values_list("reported_on", flat=True)
                .first()
            )
        for day in sorted(d for d in days if d):
            closed = periods.closing_period(program, day, today=today)
            if closed is not None:
                return closed
        return None


@receiver(post_delete, sender=ProgressUpdate, dispatch_uid="progress_update_deleted")
def _progress_update_deleted(sender, instance: ProgressUpdate, **kwargs) -> None:
    """Flag the activity's new latest update when an update is deleted, also by a queryset
    delete such as the admin's bulk action (which never calls `delete()`). Always, not only when
    `instance.is_latest`: the instance may have been read before it became the latest.
    Nothing to do when the delete started from the activity (or its plan, program): the
    activity goes too, and a program's cascade would otherwise cost two queries per update."""
    origin = kwargs.get("origin")
    origin_model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if origin_model is not ProgressUpdate:
        return
    ProgressUpdate.objects.filter(activity_id=instance.activity_id).mark_latest()
    _recount_progress_of(instance.activity_id)


def _recount_progress_of(activity_id: int) -> None:
    """Recount the summary rows an activity's progress counts in: its plan's, for its task
    area (progress changes neither the task area nor the cooperatives)."""
    # No ordering: the activities' default one joins the plan and the task area for nothing.
    found = (
        Activity.objects.filter(pk=activity_id).values_list("plan_id", "task_area_id").order_by()
    )
    for plan_id, task_area_id in found:
        recount_plans([plan_id], cooperatives=False, task_areas=[task_area_id])


@receiver(post_delete, sender=Activity, dispatch_uid="activity_deleted")
def _activity_deleted(sender, instance: Activity, **kwargs) -> None:
    """Recount the plan's summary when an activity is deleted, also by a queryset delete (the
    admin's bulk action). Not when the delete started from the plan or the program: the plan's
    summary rows go with it (a cascade), and recounting would write rows for a plan being
    deleted."""
    origin = kwargs.get("origin")
    origin_model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if origin_model is not Activity:
        return
    recount_plans([instance.plan_id])


@receiver(m2m_changed, sender=Activity.cooperatives.through, dispatch_uid="activity_cooperatives")
def _activity_cooperatives_changed(sender, instance, action, reverse, **kwargs) -> None:
    """Recount the plan's supported cooperatives when an activity's cooperatives change
    (`activity.cooperatives.set()` in the services, the admin's form). Links change from the
    activity's side only: the activity's history records them there (django-simple-history
    cannot record a change made from the cooperative's side, `cooperative.activities.add()`).
    A cooperative's deletion removes its links and its summary rows by the same cascade."""
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        recount_plans([instance.plan_id])


@receiver(pre_delete, sender=Cooperative, dispatch_uid="cooperative_reach_before")
def _cooperative_deleting(sender, instance: Cooperative, origin=None, **kwargs) -> None:
    """Note the plans the cooperatives being deleted are counted in: their summary rows go by a
    cascade, and those plans' distinct counts (`CooperativeReach`) are recounted after. One
    query for a queryset delete of cooperatives (the admin's bulk action, a benchmark emptying
    the registry), else one per cooperative."""
    key = _deletion_key(instance, origin)
    if hasattr(key, "_supported_in"):
        return
    cooperatives = key.values("pk") if isinstance(key, models.QuerySet) else [instance.pk]
    key._supported_in = set(
        SupportedCooperative.objects.filter(cooperative_id__in=cooperatives)
        .values_list("plan_id", flat=True)
        .distinct()
        .order_by()
    )


@receiver(post_delete, sender=Cooperative, dispatch_uid="cooperative_reach_after")
def _cooperative_deleted(sender, instance: Cooperative, origin=None, **kwargs) -> None:
    key = _deletion_key(instance, origin)
    plans = getattr(key, "_supported_in", None)
    if plans:  # once per delete: the set is emptied after the recount
        recount_reach(plan_ids=plans)
        key._supported_in = set()


def _deletion_key(instance: Cooperative, origin):
    """What a cooperative's deletion notes its plans on: the queryset of cooperatives being
    deleted when it started the delete (signals are sent for all before any row goes), else
    the instance."""
    if isinstance(origin, models.QuerySet) and origin.model is Cooperative:
        return origin
    return instance


@receiver(post_delete, sender=YearlyPlan, dispatch_uid="plan_reach")
def _plan_deleted(sender, instance: YearlyPlan, **kwargs) -> None:
    """Recount the program's all-years distinct count when one of its plans is deleted (the
    plan's own rows go by the cascade). Not when the program is being deleted: its rows go
    too."""
    origin = kwargs.get("origin")
    origin_model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if origin_model is Program:
        return
    recount_reach(program_ids=[instance.program_id])
