"""A program and what is fixed for its whole span: task areas, phases, indicators and their
phase targets; and the reference list of National Target Program projects."""

import calendar
import datetime
import uuid
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Level, Province
from core.text import clean_text, search_key

from ..querysets import ProgramQuerySet

# The national split of a coordination program's span into phases (DOMAIN.md §3).
STANDARD_PHASES = [(2021, 2025), (2026, 2030)]

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


def target_display(target_min: Decimal, target_max: Decimal | None) -> str:
    """A phase target as written: '2–3' for a range, '≥ 1' for a single value."""
    if target_max is not None and target_max != target_min:
        return f"{format_amount(target_min)}–{format_amount(target_max)}"
    return f"≥ {format_amount(target_min)}"


def program_document_path(instance: "Program", filename: str) -> str:
    """A random name: the uploader's name is kept in `document_name`, never used as a path."""
    return f"programs/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class DeadlineRule(models.TextChoices):
    """How a reporting period's deadline is counted from its cut-off (coordination/periods.py)."""

    DAY_OF_MONTH = "day", _("ngày trong tháng (ngày đầu tiên như thế sau ngày chốt)")
    WORKING_DAYS = "working_days", _("số ngày làm việc sau ngày chốt")


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
    # The signed document (a PDF, checked by content): served only by `program_document`.
    document = models.FileField(
        _("văn bản ký"), upload_to=program_document_path, blank=True, max_length=300
    )
    document_name = models.CharField(_("tên tệp văn bản"), max_length=255, blank=True)
    # The day each year's plan is due (default 31 January of the plan's year): the reminders
    # of plans not yet submitted count back from it (`plan_deadline`).
    plan_deadline_day = models.PositiveSmallIntegerField(
        _("hạn trình kế hoạch năm: ngày"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    plan_deadline_month = models.PositiveSmallIntegerField(
        _("hạn trình kế hoạch năm: tháng"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # The national program a provincial one carries out (Quảng Ngãi's and Kiên Giang's programs
    # under the UBDT–VCA program 2021–2030): its reports are sent up to that program's managers
    # and compiled into its national report.
    national_program = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện chương trình trung ương"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provincial_programs",
    )
    # The reporting calendar (coordination/periods.py): the annual review always, the six-month
    # one if wanted; each kind's deadline a day of the month after the cut-off or N working days.
    half_year_review = models.BooleanField(_("có sơ kết 6 tháng"), default=False)
    annual_deadline_rule = models.CharField(
        _("hạn sơ kết năm tính theo"),
        max_length=12,
        choices=DeadlineRule.choices,
        default=DeadlineRule.DAY_OF_MONTH,
    )
    annual_deadline_value = models.PositiveSmallIntegerField(
        _("hạn sơ kết năm: ngày, hoặc số ngày làm việc"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    half_deadline_rule = models.CharField(
        _("hạn sơ kết 6 tháng tính theo"),
        max_length=12,
        choices=DeadlineRule.choices,
        default=DeadlineRule.DAY_OF_MONTH,
    )
    half_deadline_value = models.PositiveSmallIntegerField(
        _("hạn sơ kết 6 tháng: ngày, hoặc số ngày làm việc"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    # Off for programs recorded before the calendar existed (closing them would lock years of
    # records on the day of the upgrade); on for new programs (docs/decisions.md).
    closes_periods = models.BooleanField(
        _("khóa tiến độ sau hạn báo cáo"),
        default=False,
        help_text=_(
            "Sau hạn của kỳ báo cáo, không thêm, sửa, xóa tiến độ ghi ngày trong kỳ, trừ khi "
            "lãnh đạo mở lại kỳ."
        ),
    )
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

    def get_document_url(self) -> str:
        """The permission-checked download of the signed document."""
        return reverse("coordination:program_document", args=[self.pk])

    def clean(self):
        errors = {}
        if None not in (self.start_year, self.end_year) and self.end_year < self.start_year:
            errors["end_year"] = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
        if self.level == Level.PROVINCIAL and not self.province_id:
            errors["province"] = _("Chương trình cấp tỉnh phải gắn với một tỉnh, thành phố.")
        if self.level == Level.CENTRAL and self.province_id:
            errors["province"] = _("Chương trình trung ương không gắn với tỉnh, thành phố.")
        if self.national_program_id and (
            self.level != Level.PROVINCIAL
            or self.national_program.level != Level.CENTRAL
            or self.national_program_id == self.pk
        ):
            errors["national_program"] = _(
                "Chỉ chương trình cấp tỉnh mới thực hiện một chương trình trung ương."
            )
        if self.pk and None not in (self.start_year, self.end_year) and "end_year" not in errors:
            errors.update(self._years_keep_setup())
        month, day = self.plan_deadline_month, self.plan_deadline_day
        # A leap year allows 29/2 (clamped to the 28th in other years); never 30/2 or 31/4.
        if month in range(1, 13) and day and day > calendar.monthrange(2024, month)[1]:
            errors["plan_deadline_day"] = _("Tháng %(month)s không có ngày %(day)s.") % {
                "month": month,
                "day": day,
            }
        for rule, value in (
            ("annual_deadline_rule", "annual_deadline_value"),
            ("half_deadline_rule", "half_deadline_value"),
        ):
            if (
                getattr(self, rule) == DeadlineRule.WORKING_DAYS
                and (getattr(self, value) or 0) > 30
            ):
                errors[value] = _("Hạn báo cáo tối đa 30 ngày làm việc sau ngày chốt.")
        if errors:
            raise ValidationError(errors)

    def _years_keep_setup(self) -> dict:
        """New years of a saved program must still hold its yearly plans and its phases."""
        outside = Q(year__lt=self.start_year) | Q(year__gt=self.end_year)
        plan_year = self.plans.filter(outside).values_list("year", flat=True).first()
        if plan_year is not None:
            return {
                "start_year" if plan_year < self.start_year else "end_year": _(
                    "Chương trình đã có kế hoạch năm %(year)s: thời gian phải bao gồm năm đó."
                )
                % {"year": plan_year}
            }
        phase = (
            self.phases.filter(Q(start_year__lt=self.start_year) | Q(end_year__gt=self.end_year))
            .order_by("start_year")
            .first()
        )
        if phase is not None:
            return {
                "start_year" if phase.start_year < self.start_year else "end_year": _(
                    "%(phase)s nằm ngoài thời gian này: sửa hoặc xóa giai đoạn đó trước."
                )
                % {"phase": phase}
            }
        return {}

    @property
    def has_plans(self) -> bool:
        """Whether yearly plans hang on the program (its level, province and parties are then
        fixed, and the phases and task areas they use stay)."""
        return self.plans.exists()

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def standard_phases(self) -> list[tuple[int, int]]:
        """The phases proposed for a new program: the national split 2021–2025 / 2026–2030,
        cut to the program's years (Quảng Ngãi 2022–2030 → 2022–2025, 2026–2030)."""
        proposed = [(max(s, self.start_year), min(e, self.end_year)) for s, e in STANDARD_PHASES]
        return [(s, e) for s, e in proposed if s <= e] or [(self.start_year, self.end_year)]

    def phase_of_year(self, year: int) -> "Phase | None":
        return next((p for p in self.phases.all() if p.start_year <= year <= p.end_year), None)

    def plan_deadline(self, year: int) -> datetime.date:
        """The day the plan of `year` is due (31/01/`year` unless the program says otherwise;
        29/2 is the 28th in a common year)."""
        last = calendar.monthrange(year, self.plan_deadline_month)[1]
        return datetime.date(year, self.plan_deadline_month, min(self.plan_deadline_day, last))


def validate_parties(kind: str, parties) -> None:
    """A coordination program is signed by at least two agencies."""
    if kind == Program.Kind.COORDINATION and len(set(parties)) < 2:
        raise ValidationError(
            {"parties": _("Chương trình phối hợp phải có ít nhất hai cơ quan tham gia.")}
        )
    if not parties:
        raise ValidationError({"parties": _("Cần ít nhất một cơ quan tham gia.")})


class StandardArea(models.IntegerChoices):
    """What a program's task area is, across programs: one of the five standard areas
    (DOMAIN.md §3) or something else (An Giang's Kết luận 70 tasks). National figures group
    task areas of different programs by it, never by their number within a program."""

    POLICY = 1, STANDARD_TASK_AREAS[0][1]
    COMMUNICATION = 2, STANDARD_TASK_AREAS[1][1]
    TRAINING = 3, STANDARD_TASK_AREAS[2][1]
    NTP = 4, STANDARD_TASK_AREAS[3][1]
    REVIEW = 5, STANDARD_TASK_AREAS[4][1]
    OTHER = 0, _("Nội dung khác")

    @classmethod
    def for_title(cls, title: str) -> "StandardArea":
        """The standard area a task area's own wording names, by its key words (tone marks
        folded): the specific ones first, so 'Chương trình MTQG … thông tin' is area 4. Other
        when none is named; staff correct the guess on the program's setup page."""
        key = search_key(title)
        for area, words in STANDARD_AREA_WORDS:
            if any(word in key for word in words):
                return area
        return cls.OTHER


# Key words of each standard area in a task area's title (search_key form), most specific first.
STANDARD_AREA_WORDS = [
    (StandardArea.NTP, ("mtqg", "muc tieu quoc gia", "chuong trinh 120", "1719")),
    (StandardArea.REVIEW, ("kiem tra", "giam sat", "so ket", "tong ket", "khen thuong")),
    (StandardArea.POLICY, ("chinh sach",)),
    (StandardArea.TRAINING, ("dao tao", "boi duong")),
    (StandardArea.COMMUNICATION, ("tuyen truyen", "thong tin")),
]


class TaskArea(models.Model):
    """One of a program's task areas (nội dung phối hợp); numbered within the program, and
    mapped to the standard area it belongs to (`standard_area`)."""

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="task_areas"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"), validators=[MinValueValidator(1)])
    title = models.CharField(_("nội dung"), max_length=500)
    standard_area = models.PositiveSmallIntegerField(
        _("thuộc nội dung chuẩn"),
        choices=StandardArea.choices,
        default=StandardArea.OTHER,
        help_text=_("Nội dung chuẩn mà nội dung này thuộc về, để tổng hợp toàn quốc."),
    )
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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
        # Each error goes on the year that breaks the rule, so a form shows it there.
        program = self.program
        if self.start_year < program.start_year or self.end_year > program.end_year:
            raise ValidationError(
                {
                    "start_year" if self.start_year < program.start_year else "end_year": _(
                        "Giai đoạn phải nằm trong thời gian của chương trình (%(start)s–%(end)s)."
                    )
                    % {"start": program.start_year, "end": program.end_year}
                }
            )
        overlapping = (
            Phase.objects.filter(program_id=self.program_id)
            .exclude(pk=self.pk)
            .filter(start_year__lte=self.end_year, end_year__gte=self.start_year)
            .first()
        )
        if overlapping:
            inside = overlapping.start_year <= self.start_year <= overlapping.end_year
            raise ValidationError(
                {
                    "start_year" if inside else "end_year": _(
                        "Giai đoạn trùng thời gian với %(other)s."
                    )
                    % {"other": overlapping}
                }
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
    baseline = models.DecimalField(
        _("giá trị cơ sở"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Giá trị khi bắt đầu chương trình; để trống nếu chưa có."),
    )
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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
        return target_display(self.target_min, self.target_max)

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
