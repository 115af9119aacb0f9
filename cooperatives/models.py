import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Commune, Province
from core.models import Job
from core.text import clean_text, search_key

from .importer.values import clean_lines
from .querysets import CooperativeImportQuerySet, CooperativeQuerySet

registration_code_validator = RegexValidator(
    r"^\d{10}(-\d{3})?$",
    _("Mã số HTX gồm 10 chữ số, có thể thêm đuôi chi nhánh như -001."),
)


# The search key of a commune or district name, remembered: a list repeats a few hundred.
_part_key = functools.lru_cache(maxsize=4096)(search_key)

# Text fields whose white space `fill_search_key` (and the import) normalises.
CLEANED_TEXT_FIELDS = (
    "name",
    "commune",
    "district",
    "address",
    "representative",
    "sector",
    "phone",
    "ocop_products",
    "province_as_written",
)


class Cooperative(models.Model):
    """A cooperative (HTX), cooperative group or union in the registry of supported units.

    The registration code is the HTX code, which is also its tax code."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Tổ hợp tác")
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        UNION = "union", _("Liên hiệp hợp tác xã")

    class Rating(models.TextChoices):
        GOOD = "good", _("Tốt")
        FAIR = "fair", _("Khá")
        AVERAGE = "average", _("Trung bình")
        WEAK = "weak", _("Yếu")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        DISSOLVED = "dissolved", _("Đã giải thể")

    registration_code = models.CharField(
        _("mã số HTX"), max_length=14, unique=True, validators=[registration_code_validator]
    )
    name = models.CharField(_("tên HTX"), max_length=300)
    kind = models.CharField(
        _("loại hình"), max_length=12, choices=Kind.choices, default=Kind.COOPERATIVE
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    province_as_written = models.CharField(
        _("tỉnh (như ghi trong nguồn)"), max_length=100, blank=True
    )
    district = models.CharField(_("huyện (cũ)"), max_length=100, blank=True)
    commune = models.CharField(_("xã, phường"), max_length=100, blank=True)
    # Today's commune the written address (commune, district) leads to (issue 15): set by the
    # import when `find_commune` finds exactly one, else chosen on /htx/can-kiem-tra/.
    current_commune = models.ForeignKey(
        Commune,
        verbose_name=_("xã, phường hiện nay"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperatives",
    )
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    members = models.PositiveIntegerField(_("số thành viên"), null=True, blank=True)
    ethnic_minority_members = models.PositiveIntegerField(
        _("thành viên là người DTTS"), null=True, blank=True
    )
    sector = models.CharField(_("ngành nghề"), max_length=200, blank=True)
    charter_capital = models.BigIntegerField(
        _("vốn điều lệ (đồng)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    revenue = models.BigIntegerField(
        _("doanh thu (đồng)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    rating = models.CharField(_("xếp loại"), max_length=10, choices=Rating.choices, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP (số sao)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    ocop_products = models.CharField(_("sản phẩm OCOP"), max_length=500, blank=True)
    vietgap = models.BooleanField(_("VietGAP"), default=False)
    organic = models.BooleanField(_("hữu cơ"), default=False)
    high_tech = models.BooleanField(_("ứng dụng công nghệ cao"), default=False)
    digital_transformation = models.BooleanField(_("chuyển đổi số"), default=False)
    ecommerce = models.BooleanField(_("thương mại điện tử"), default=False)
    in_ethnic_minority_area = models.BooleanField(_("vùng DTTS và MN"), default=False)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    search_key = models.CharField(max_length=700, editable=False, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = CooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("hợp tác xã")
        verbose_name_plural = _("hợp tác xã")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ethnic_minority_members__isnull=True)
                | Q(members__isnull=True)
                | Q(ethnic_minority_members__lte=F("members")),
                name="coop_ethnic_members_within_members",
            ),
            models.CheckConstraint(
                condition=Q(ocop_stars__isnull=True) | Q(ocop_stars__gte=3, ocop_stars__lte=5),
                name="coop_ocop_stars_3_to_5",
            ),
            models.CheckConstraint(
                condition=Q(charter_capital__isnull=True) | Q(charter_capital__gte=0),
                name="coop_charter_capital_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(revenue__isnull=True) | Q(revenue__gte=0),
                name="coop_revenue_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status"], name="coop_province_status_idx"),
            models.Index(fields=["sector"], name="coop_sector_idx"),
            # On PostgreSQL also a covering index for the dashboards' figures, made by
            # migration 0006 (SQLite has no `INCLUDE`; Django's `Index.include` warns there).
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_search_key()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:detail", args=[self.pk])

    @property
    def picker_label(self) -> str:
        """'HTX Nông nghiệp Bù Gia Mập — 0100000001': the name with the code that tells two
        cooperatives of the same name apart (what the picker writes in its box)."""
        return f"{self.name} — {self.registration_code}"

    def has_name(self, name: str) -> bool:
        """Whether `name` is this cooperative's name, ignoring tone marks, đ/d, case and
        spacing (the exact test behind `CooperativeQuerySet.with_name`)."""
        return bool(name) and search_key(name) == search_key(self.name)

    def clean(self):
        errors = self.record_problems(
            members=self.members,
            ethnic_minority_members=self.ethnic_minority_members,
            established_on=self.established_on,
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def record_problems(
        *, members, ethnic_minority_members, established_on, today: datetime.date
    ) -> dict[str, str]:
        """The rules of `clean` on plain values, by field (what the bulk import checks for
        each row without building a model instance)."""
        errors = {}
        if members is not None and ethnic_minority_members is not None:
            if ethnic_minority_members > members:
                errors["ethnic_minority_members"] = _(
                    "Số thành viên DTTS không được lớn hơn tổng số thành viên."
                )
        if established_on and established_on > today:
            errors["established_on"] = _("Ngày thành lập không được sau ngày hôm nay.")
        return errors

    @property
    def full_address(self) -> str:
        """'Thôn Chang, Xuân Giang, Quang Bình': the address parts that are filled in."""
        return ", ".join(part for part in (self.address, self.commune, self.district) if part)

    def fill_search_key(self) -> None:
        """Normalise text fields to NFC and refresh the search key (also used by bulk imports)."""
        for name in CLEANED_TEXT_FIELDS:
            setattr(self, name, clean_text(getattr(self, name)))
        self.notes = clean_lines(self.notes)
        self.search_key = self.key_of(self.name, self.commune, self.district, self.representative)

    @staticmethod
    def key_of(name: str, commune: str, district: str, representative: str) -> str:
        """The search key of a cooperative with these (clean) values: the key of the four
        joined by spaces, made part by part (no step of a key acts across a space) so that
        the parts an import repeats on row after row (commune, district) are keyed once."""
        keys = (
            search_key(name),
            _part_key(commune),
            _part_key(district),
            search_key(representative),
        )
        return " ".join([key for key in keys if key])

    @staticmethod
    def keys_of(
        names: list[str], communes: list[str], districts: list[str], representatives: list[str]
    ) -> list[str]:
        """`key_of` for many cooperatives at once (the rows an import writes): each part's
        distinct values keyed once, each row's keys picked by `map` and joined as `key_of`
        joins them (a commune, a district, a director's name repeat row after row)."""
        parts = [
            list(map({value: search_key(value) for value in set(column)}.__getitem__, column))
            for column in (names, communes, districts, representatives)
        ]
        return [" ".join([key for key in row if key]) for row in zip(*parts, strict=True)]


class CooperativeImport(models.Model):
    """A list uploaded on the /htx/nhap/ page, kept until it is imported: the preview job reads
    it, then the import job once the uploader confirms.

    The file is in the default storage (MEDIA_ROOT or S3), which every app server and the
    worker read, never served by URL. It is deleted when the import ends, when the same user
    uploads another file, or by `manage.py purge_import_files` once it is old."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    file = models.FileField(_("tệp"), upload_to="nhap-htx/%Y/%m/", blank=True)
    name = models.CharField(_("tên tệp"), max_length=255)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh cho các dòng không ghi tỉnh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    preview_job = models.OneToOneField(
        Job,
        verbose_name=_("công việc xem trước"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    import_job = models.OneToOneField(
        Job,
        verbose_name=_("công việc nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    objects = CooperativeImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp nhập danh sách HTX")
        verbose_name_plural = _("tệp nhập danh sách HTX")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:import_detail", args=[self.pk])

    def is_superseded(self) -> bool:
        """A later upload by the same person replaced this one: only the newest preview can be
        confirmed."""
        return CooperativeImport.objects.filter(
            uploaded_by_id=self.uploaded_by_id, pk__gt=self.pk
        ).exists()

    def discard_file(self) -> None:
        """Delete the kept file from storage (a file already gone is fine)."""
        if self.file:
            self.file.delete(save=False)
            CooperativeImport.objects.filter(pk=self.pk).update(file="")
