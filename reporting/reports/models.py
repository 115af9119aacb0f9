"""The annual review (sơ kết) and end-of-phase summary (tổng kết) reports, and the
commendations (thi đua khen thưởng) they list.

A report is one version of the review of a program for a year or a phase. Its figures are a
snapshot (`data`, plain JSON made by `reporting.reports.snapshot`) taken when the version was
generated or refreshed; its narrative sections are written by staff. Once every party agency's
manager has finalised it, nothing in it changes again: a later version starts from fresh data.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from cooperatives.models import Cooperative
from coordination.models import Phase, Program
from core.text import clean_paragraphs, clean_text

from .querysets import CommendationQuerySet, ReportQuerySet

# The narrative sections staff write, in the order they appear in the report.
NARRATIVE_SECTIONS = [
    ("situation", _("Tình hình triển khai thực hiện")),
    ("achievements", _("Những kết quả đạt được")),
    ("limitations", _("Tồn tại, hạn chế và nguyên nhân")),
    ("lessons", _("Bài học kinh nghiệm")),
    ("directions", _("Phương hướng, nhiệm vụ")),
    ("proposals", _("Kiến nghị, đề xuất")),
]
NARRATIVE_FIELDS = [name for name, _label in NARRATIVE_SECTIONS]


class Report(models.Model):
    """One version of the sơ kết of a program for a year, or the tổng kết of one of its phases."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Sơ kết năm")
        PHASE = "phase", _("Tổng kết giai đoạn")
        HALF = "half", _("Sơ kết 6 tháng")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        FINALISED = "finalised", _("Đã hoàn thành")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("loại báo cáo"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("giai đoạn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    data = models.JSONField(_("số liệu"), default=dict, editable=False)
    generated_at = models.DateTimeField(_("số liệu tính lúc"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    doc_number = models.CharField(
        _("số"), max_length=10, blank=True, help_text=_("Để trống cho văn thư ghi khi phát hành.")
    )
    doc_symbol = models.CharField(_("ký hiệu"), max_length=60)
    place = models.CharField(_("địa danh"), max_length=100)
    issued_on = models.DateField(_("ngày báo cáo"))
    recipients = models.TextField(_("nơi nhận"), help_text=_("Mỗi dòng một nơi nhận."))
    situation = models.TextField(_("tình hình triển khai thực hiện"), blank=True)
    achievements = models.TextField(_("những kết quả đạt được"), blank=True)
    limitations = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    directions = models.TextField(_("phương hướng, nhiệm vụ"), blank=True)
    proposals = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    finalised_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # The snapshot is large and is kept whole in each version; history records the text edits.
    history = HistoricalRecords(excluded_fields=["data", "updated_at"])

    objects = ReportQuerySet.as_manager()

    # The kinds that review one year's window (sơ kết), as opposed to a phase (tổng kết).
    YEARLY = (Kind.ANNUAL, Kind.HALF)

    class Meta:
        verbose_name = _("báo cáo sơ kết, tổng kết")
        verbose_name_plural = _("báo cáo sơ kết, tổng kết")
        ordering = ["program", "kind", "-year", "phase", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["annual", "half"], year__isnull=False, phase__isnull=True)
                | Q(kind="phase", year__isnull=True, phase__isnull=False),
                name="report_period_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["program", "year", "version"],
                condition=Q(kind="annual"),
                name="report_annual_version_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "phase", "version"],
                condition=Q(kind="phase"),
                name="report_phase_version_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "year", "version"],
                condition=Q(kind="half"),
                name="report_half_version_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "year"],
                condition=Q(kind="half", status="draft"),
                name="report_half_one_draft",
            ),
            # One draft at a time per period: a new version starts once the last is finalised.
            models.UniqueConstraint(
                fields=["program", "year"],
                condition=Q(kind="annual", status="draft"),
                name="report_annual_one_draft",
            ),
            models.UniqueConstraint(
                fields=["program", "phase"],
                condition=Q(kind="phase", status="draft"),
                name="report_phase_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalised_at__isnull=False),
                name="report_finalised_has_time",
            ),
        ]

    def __str__(self) -> str:
        return _("%(title)s — %(program)s (phiên bản %(version)s)") % {
            "title": self.title,
            "program": self.program,
            "version": self.version,
        }

    def save(self, *args, **kwargs):
        for name in [*NARRATIVE_FIELDS, "recipients"]:
            setattr(self, name, clean_paragraphs(getattr(self, name)))
        self.doc_number = clean_text(self.doc_number)
        self.doc_symbol = clean_text(self.doc_symbol)
        self.place = clean_text(self.place)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    def clean(self):
        if not self.program_id:
            return
        if self.kind == self.Kind.HALF and not self.program.half_year_review:
            raise ValidationError(
                {"kind": _("Chương trình không có sơ kết 6 tháng (xem lịch báo cáo).")}
            )
        if self.kind in self.YEARLY:
            if self.year is None or self.year not in self.program.years:
                raise ValidationError(
                    {
                        "year": _(
                            "Năm sơ kết phải nằm trong thời gian của chương trình (%(start)s–%(end)s)."
                        )
                        % {"start": self.program.start_year, "end": self.program.end_year}
                    }
                )
        elif self.phase_id is None or self.phase.program_id != self.program_id:
            raise ValidationError({"phase": _("Giai đoạn không thuộc chương trình này.")})

    @property
    def title(self) -> str:
        """'Sơ kết năm 2024' / 'Sơ kết 6 tháng đầu năm 2026' / 'Tổng kết giai đoạn 2021–2025'."""
        if self.kind == self.Kind.HALF:
            return _("Sơ kết 6 tháng đầu năm %(year)s") % {"year": self.year}
        if self.kind == self.Kind.ANNUAL:
            return _("Sơ kết năm %(year)s") % {"year": self.year}
        return _("Tổng kết giai đoạn %(start)s–%(end)s") % {
            "start": self.phase.start_year,
            "end": self.phase.end_year,
        }

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def narrative(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}

    def same_period(self) -> models.QuerySet:
        """Every version of this report's program and period, newest first."""
        versions = Report.objects.filter(program_id=self.program_id, kind=self.kind)
        if self.kind in self.YEARLY:
            versions = versions.filter(year=self.year)
        else:
            versions = versions.filter(phase_id=self.phase_id)
        return versions.order_by("-version")


class KindManager(models.Manager.from_queryset(ReportQuerySet)):
    """The reports of one kind: the manager of each proxy model."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class AnnualReview(Report):
    """The sơ kết of a program for one year (a `Report` of kind 'annual')."""

    objects = KindManager(Report.Kind.ANNUAL)

    class Meta:
        proxy = True
        verbose_name = _("báo cáo sơ kết năm")
        verbose_name_plural = _("báo cáo sơ kết năm")

    def save(self, *args, **kwargs):
        self.kind = Report.Kind.ANNUAL
        super().save(*args, **kwargs)


class PhaseSummary(Report):
    """The tổng kết of a program's phase (a `Report` of kind 'phase')."""

    objects = KindManager(Report.Kind.PHASE)

    class Meta:
        proxy = True
        verbose_name = _("báo cáo tổng kết giai đoạn")
        verbose_name_plural = _("báo cáo tổng kết giai đoạn")

    def save(self, *args, **kwargs):
        self.kind = Report.Kind.PHASE
        super().save(*args, **kwargs)


class ReportSignatory(models.Model):
    """A party agency of the report's program: its block in the header and its signature block,
    and whether its manager has finalised this version."""

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="signatories"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan tham gia"),
        on_delete=models.PROTECT,
        related_name="report_signatures",
        help_text=_("Cơ quan ký chương trình; lãnh đạo cơ quan kế thừa xác nhận thay."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    parent_name = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    issuer_name = models.CharField(_("tên cơ quan ban hành"), max_length=255)
    position = models.CharField(
        _("chức vụ người ký"),
        max_length=120,
        help_text=_("Ví dụ: GIÁM ĐỐC; KT. CHỦ TỊCH / PHÓ CHỦ TỊCH (xuống dòng bằng dấu /)."),
    )
    signer_name = models.CharField(_("họ và tên người ký"), max_length=120, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan ký báo cáo")
        verbose_name_plural = _("cơ quan ký báo cáo")
        ordering = ["report", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "agency"], name="report_signatory_one_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.issuer_name

    def save(self, *args, **kwargs):
        self.parent_name = clean_text(self.parent_name)
        self.issuer_name = clean_text(self.issuer_name)
        self.position = clean_text(self.position)
        self.signer_name = clean_text(self.signer_name)
        super().save(*args, **kwargs)

    @property
    def is_finalised(self) -> bool:
        return self.finalised_at is not None

    @property
    def position_lines(self) -> list[str]:
        """'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH' → ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']."""
        return [line.strip() for line in self.position.split("/") if line.strip()]


class Commendation(models.Model):
    """An emulation and commendation award (thi đua khen thưởng, task area 5) given within a
    program for a year's work: to a cooperative, an agency or a person."""

    class RecipientKind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        AGENCY = "agency", _("Cơ quan, đơn vị")
        PERSON = "person", _("Cá nhân")

    class Form(models.TextChoices):
        BANG_KHEN = "bang_khen", _("Bằng khen")
        GIAY_KHEN = "giay_khen", _("Giấy khen")
        CO_THI_DUA = "co_thi_dua", _("Cờ thi đua")
        DANH_HIEU = "danh_hieu", _("Danh hiệu thi đua")
        OTHER = "other", _("Hình thức khác")

    program = models.ForeignKey(
        Program,
        verbose_name=_("chương trình"),
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    recipient_kind = models.CharField(_("đối tượng"), max_length=12, choices=RecipientKind.choices)
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("hợp tác xã"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    person_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    person_position = models.CharField(_("chức vụ, đơn vị công tác"), max_length=300, blank=True)
    form = models.CharField(_("hình thức khen thưởng"), max_length=12, choices=Form.choices)
    authority = models.CharField(
        _("cấp khen thưởng"), max_length=255, help_text=_("Ví dụ: Chủ tịch UBND tỉnh Đồng Nai.")
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    reason = models.TextField(_("thành tích"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["program", "-year", "decision_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    recipient_kind="cooperative",
                    cooperative__isnull=False,
                    agency__isnull=True,
                    person_name="",
                )
                | Q(
                    recipient_kind="agency",
                    cooperative__isnull=True,
                    agency__isnull=False,
                    person_name="",
                )
                | (
                    Q(recipient_kind="person", cooperative__isnull=True, agency__isnull=True)
                    & ~Q(person_name="")
                ),
                name="commendation_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.recipient_label}"

    def save(self, *args, **kwargs):
        for name in ("person_name", "person_position", "authority", "decision_number"):
            setattr(self, name, clean_text(getattr(self, name)))
        self.reason = clean_paragraphs(self.reason)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        kind = self.recipient_kind
        if kind == self.RecipientKind.COOPERATIVE and not self.cooperative_id:
            errors["cooperative"] = _("Chọn hợp tác xã được khen thưởng.")
        if kind == self.RecipientKind.AGENCY and not self.agency_id:
            errors["agency"] = _("Chọn cơ quan, đơn vị được khen thưởng.")
        if kind == self.RecipientKind.PERSON and not clean_text(self.person_name):
            errors["person_name"] = _("Nhập họ và tên người được khen thưởng.")
        # Only the chosen kind of recipient is kept.
        if kind != self.RecipientKind.COOPERATIVE:
            self.cooperative = None
        if kind != self.RecipientKind.AGENCY:
            self.agency = None
        if kind != self.RecipientKind.PERSON:
            self.person_name = ""
            self.person_position = ""
        if self.program_id and self.year is not None and self.year not in self.program.years:
            errors["year"] = _(
                "Năm khen thưởng phải nằm trong thời gian của chương trình (%(start)s–%(end)s)."
            ) % {"start": self.program.start_year, "end": self.program.end_year}
        if errors:
            raise ValidationError(errors)

    @property
    def recipient_label(self) -> str:
        """The cooperative's or agency's name, or 'Name, position' for a person."""
        if self.recipient_kind == self.RecipientKind.COOPERATIVE and self.cooperative_id:
            return self.cooperative.name
        if self.recipient_kind == self.RecipientKind.AGENCY and self.agency_id:
            return self.agency.name
        if self.person_position:
            return f"{self.person_name}, {self.person_position}"
        return self.person_name
