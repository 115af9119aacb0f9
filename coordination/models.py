import datetime
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Level, Province
from cooperatives.models import Cooperative
from core.text import clean_text, search_key

from .querysets import (
    ActivityQuerySet,
    PlanQuerySet,
    ProgramQuerySet,
    ProgressUpdateQuerySet,
    is_overdue,
)

# The standard five task areas (nội dung phối hợp) offered when a program is created.
STANDARD_TASK_AREAS = [
    (1, _("Nghiên cứu, tham mưu, xây dựng và đề xuất chính sách")),
    (2, _("Thông tin, tuyên truyền")),
    (3, _("Đào tạo, bồi dưỡng")),
    (4, _("Triển khai Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi")),
    (5, _("Kiểm tra, giám sát, sơ kết, tổng kết và thi đua khen thưởng")),
]


def format_amount(value: Decimal | None) -> str:
    """A target or actual value without trailing zeros: 2 → '2', 2.5 → '2,5'."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",")


class Program(models.Model):
    """A coordination program (chương trình phối hợp), scheme (đề án) or plan signed or issued by
    its party agencies for a span of years."""

    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Chương trình phối hợp")
        SCHEME = "scheme", _("Đề án")
        PLAN = "plan", _("Kế hoạch")

    title = models.CharField(_("tên chương trình"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    kind = models.CharField(
        _("loại"), max_length=20, choices=Kind.choices, default=Kind.COORDINATION
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs",
    )
    parties = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan tham gia"), related_name="programs"
    )
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    search_key = models.CharField(max_length=700, editable=False, db_index=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["level", "-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="program_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=1990, end_year__lte=2100),
                name="program_years_plausible",
            ),
            models.CheckConstraint(
                condition=Q(level="central", province__isnull=True)
                | Q(level="provincial", province__isnull=False),
                name="program_province_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = clean_text(self.title)
        self.number = clean_text(self.number)
        self.search_key = search_key(f"{self.title} {self.number}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("coordination:program_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if None not in (self.start_year, self.end_year) and self.end_year < self.start_year:
            errors["end_year"] = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
        if self.level == Level.PROVINCIAL and not self.province_id:
            errors["province"] = _("Chương trình cấp tỉnh phải gắn với một tỉnh, thành phố.")
        if self.level == Level.CENTRAL and self.province_id:
            errors["province"] = _("Chương trình trung ương không gắn với tỉnh, thành phố.")
        if errors:
            raise ValidationError(errors)

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def phase_of_year(self, year: int) -> "Phase | None":
        return next((p for p in self.phases.all() if p.start_year <= year <= p.end_year), None)


def validate_parties(kind: str, parties) -> None:
    """A coordination program is signed by at least two agencies."""
    if kind == Program.Kind.COORDINATION and len(set(parties)) < 2:
        raise ValidationError(
            {"parties": _("Chương trình phối hợp phải có ít nhất hai cơ quan tham gia.")}
        )
    if not parties:
        raise ValidationError({"parties": _("Cần ít nhất một cơ quan tham gia.")})


class TaskArea(models.Model):
    """One of a program's task areas (nội dung phối hợp); numbered within the program."""

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="task_areas"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"), validators=[MinValueValidator(1)])
    title = models.CharField(_("nội dung"), max_length=500)

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = _("nội dung phối hợp")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="task_area_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_area_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Phase(models.Model):
    """A phase (giai đoạn) of a program, e.g. 2021–2025; phases do not overlap."""

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="phases"
    )
    number = models.PositiveSmallIntegerField(_("giai đoạn số"), validators=[MinValueValidator(1)])
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        ordering = ["program", "start_year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="phase_number_unique"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="phase_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return _("Giai đoạn %(start)s–%(end)s") % {"start": self.start_year, "end": self.end_year}

    def clean(self):
        if self.start_year is None or self.end_year is None or not self.program_id:
            return
        if self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Năm kết thúc phải từ năm bắt đầu trở đi.")})
        program = self.program
        if self.start_year < program.start_year or self.end_year > program.end_year:
            raise ValidationError(
                _("Giai đoạn phải nằm trong thời gian của chương trình (%(start)s–%(end)s).")
                % {"start": program.start_year, "end": program.end_year}
            )
        overlapping = (
            Phase.objects.filter(program_id=self.program_id)
            .exclude(pk=self.pk)
            .filter(start_year__lte=self.end_year, end_year__gte=self.start_year)
            .first()
        )
        if overlapping:
            raise ValidationError(
                _("Giai đoạn trùng thời gian với %(other)s.") % {"other": overlapping}
            )

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Indicator(models.Model):
    """A measurable indicator (chỉ số) of a program, with how its yearly values combine."""

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Cộng dồn các năm")
        LATEST = "latest", _("Giá trị năm gần nhất")
        MAXIMUM = "max", _("Giá trị lớn nhất")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="indicators"
    )
    task_area = models.ForeignKey(
        TaskArea,
        verbose_name=_("nội dung phối hợp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    code = models.CharField(_("mã"), max_length=30)
    name = models.CharField(_("tên chỉ số"), max_length=500)
    unit = models.CharField(_("đơn vị tính"), max_length=50)
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def clean(self):
        if self.task_area_id and self.program_id and self.task_area.program_id != self.program_id:
            raise ValidationError(
                {"task_area": _("Nội dung phối hợp không thuộc chương trình này.")}
            )


class PhaseTarget(models.Model):
    """The target (chỉ tiêu) of an indicator for a phase: a value ('≥ 01') or a range ('2–3')."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ số"), on_delete=models.CASCADE, related_name="targets"
    )
    phase = models.ForeignKey(
        Phase, verbose_name=_("giai đoạn"), on_delete=models.CASCADE, related_name="targets"
    )
    target_min = models.DecimalField(
        _("chỉ tiêu (tối thiểu)"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    target_max = models.DecimalField(
        _("chỉ tiêu (tối đa)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống nếu chỉ tiêu là một giá trị."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu giai đoạn")
        verbose_name_plural = _("chỉ tiêu giai đoạn")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "phase"], name="phase_target_unique"),
            models.CheckConstraint(
                condition=Q(target_min__gte=0), name="phase_target_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(target_max__isnull=True) | Q(target_max__gte=F("target_min")),
                name="phase_target_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.display}"

    def clean(self):
        if (
            self.target_max is not None
            and self.target_min is not None
            and self.target_max < self.target_min
        ):
            raise ValidationError(
                {"target_max": _("Giá trị tối đa phải lớn hơn hoặc bằng giá trị tối thiểu.")}
            )
        if (
            self.indicator_id
            and self.phase_id
            and self.indicator.program_id != self.phase.program_id
        ):
            raise ValidationError({"phase": _("Giai đoạn không thuộc chương trình của chỉ số.")})

    @property
    def display(self) -> str:
        """'2–3' for a range, '≥ 1' for a single value."""
        if self.target_max is not None and self.target_max != self.target_min:
            return f"{format_amount(self.target_min)}–{format_amount(self.target_max)}"
        return f"≥ {format_amount(self.target_min)}"

    @classmethod
    def parse(cls, text: str) -> tuple[Decimal, Decimal | None]:
        """'2–3', '2-3' → (2, 3); '01' or '≥ 1' → (1, None). Raises ValidationError otherwise."""
        cleaned = (
            clean_text(text).replace("≥", "").replace(">=", "").replace("–", "-").replace("—", "-")
        )
        parts = [p.strip().replace(".", "").replace(",", ".") for p in cleaned.split("-")]
        try:
            numbers = [Decimal(p) for p in parts if p]
        except Exception as exc:  # decimal.InvalidOperation
            raise ValidationError(_("Chỉ tiêu phải là một số hoặc một khoảng như 2–3.")) from exc
        if len(numbers) == 1 and len(parts) == 1:
            return numbers[0], None
        if len(numbers) == 2 and numbers[0] <= numbers[1]:
            return numbers[0], numbers[1]
        raise ValidationError(_("Chỉ tiêu phải là một số hoặc một khoảng như 2–3."))


class NtpProject(models.Model):
    """One of the ten projects of the National Target Program for ethnic minority and mountainous
    areas (Chương trình MTQG 1719, Quyết định 1719/QĐ-TTg). Reference data loaded by migration
    0003; activities say which of them they serve."""

    number = models.PositiveSmallIntegerField(_("dự án số"), unique=True)
    name = models.CharField(_("tên dự án"), max_length=300)

    class Meta:
        verbose_name = _("dự án thuộc Chương trình MTQG 1719")
        verbose_name_plural = _("dự án thuộc Chương trình MTQG 1719")
        ordering = ["number"]

    def __str__(self) -> str:
        return _("Dự án %(number)s: %(name)s") % {"number": self.number, "name": self.name}

    @property
    def label(self) -> str:
        """'DA3', the short form used in tables."""
        return _("DA%(number)s") % {"number": self.number}


class YearlyPlan(models.Model):
    """The joint yearly plan (kế hoạch năm) of a program.

    Workflow: draft → submitted (staff) → approved once a manager of every party agency has
    approved (`PlanApproval`); a manager may return a submitted plan or reopen an approved one
    (draft again), each with a reason kept in the history. `submission_round` counts submissions
    so that approvals of an earlier round no longer count."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Trình duyệt")
        APPROVED = "approved", _("Đã phê duyệt")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
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
        return self.status != self.Status.DRAFT


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


# Held at module level so that the services can write one history entry after setting the
# many-to-many values: by itself simple-history adds an entry for every `.set()`.
activity_history = HistoricalRecords(
    excluded_fields=["updated_at"],
    m2m_fields=["supporting_agencies", "cooperatives", "ntp_projects"],
)


class Activity(models.Model):
    """A concrete activity (hoạt động) of a yearly plan under one task area.

    `planned_budget` is the activity's whole planned budget; `budget_source` says where it comes
    from. `version` grows by one with every change made through the services, which refuse a
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
        super().save(*args, **kwargs)

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
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    actual_value = models.DecimalField(
        _("kết quả đạt được"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
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

    def get_attachment_url(self) -> str:
        """The permission-checked download; files are never served from MEDIA_URL."""
        return reverse("coordination:progress_attachment", args=[self.pk])

    def clean(self):
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise ValidationError({"percent": _("Tỷ lệ hoàn thành phải từ 0 đến 100.")})
        if self.status == self.Status.DONE and self.percent is not None and self.percent != 100:
            raise ValidationError({"percent": _("Hoạt động hoàn thành phải đạt 100%.")})


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
