import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.succession import last_successor
from core.text import clean_text, search_key

from .querysets import (
    AgencyQuerySet,
    CommuneQuerySet,
    MembershipQuerySet,
    ProvinceQuerySet,
    commune_key,
    district_key,
    strip_province_prefix,
)


class Level(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCIAL = "provincial", _("Tỉnh")


class Province(models.Model):
    """A provincial-level unit, old (63 until 30/6/2025) or current (34 from 1/7/2025).

    A code alone does not name a unit (old Quảng Bình 44 and new Quảng Trị 44), so the
    validity dates are part of its identity."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố trực thuộc trung ương")

    code = models.CharField(_("mã đơn vị hành chính"), max_length=2)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    former_names = models.CharField(
        _("tên cũ / tên khác"), max_length=200, blank=True, help_text=_("Phân cách bằng dấu ;")
    )
    search_key = models.CharField(max_length=100, editable=False, db_index=True)
    former_names_key = models.CharField(max_length=300, editable=False, blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="province_code_valid_from_unique"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="province_code_unique_without_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="province_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(valid_to__isnull=False),
                name="province_successor_only_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        self.search_key = strip_province_prefix(search_key(self.name))
        names = [n for n in (clean_text(x) for x in self.former_names.split(";")) if n]
        self.former_names_key = "".join(f"|{search_key(n)}|" for n in names)
        super().save(*args, **kwargs)

    def clean(self):
        if self.successor_id and not self.valid_to:
            raise ValidationError(
                {"successor": _("Chỉ đơn vị đã hết hiệu lực mới có đơn vị kế thừa.")}
            )
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Một đơn vị không thể kế thừa chính nó.")})

    @property
    def label(self) -> str:
        """'TP Hồ Chí Minh', 'Kiên Giang (cũ)'."""
        text = f"TP {self.name}" if self.kind == self.Kind.CITY else self.name
        return f"{text} ({_('cũ')})" if self.valid_to else text

    @property
    def full_name(self) -> str:
        """'Tỉnh Kiên Giang', 'Thành phố Hà Nội' as written in documents."""
        prefix = _("Thành phố") if self.kind == self.Kind.CITY else _("Tỉnh")
        return f"{prefix} {self.name}"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def current_unit(self) -> "Province":
        """The unit that carries this one on today (itself when still valid)."""
        return last_successor(self)

    def on(self, day: datetime.date) -> "Province":
        """The unit that carried this one on `day`: itself until it ended, then its successor
        (old Bình Phước on 15/12/2024 is itself; on 1/7/2025 it is Đồng Nai)."""
        return last_successor(self, stop=lambda row: not row.valid_to or row.valid_to >= day)

    def name_on(self, day: datetime.date) -> "ProvinceName":
        """This unit's name and kind on `day` (`ProvinceName` rows, else today's): Huế on
        15/12/2024 is 'Tỉnh Thừa Thiên Huế', from 1/1/2025 'Thành phố Huế'. Reads the
        prefetched `names` (`Province.objects.with_names()`) without a query."""
        for row in self.names.all():
            if (row.valid_from is None or row.valid_from <= day) and row.valid_to >= day:
                return row
        return ProvinceName(province=self, name=self.name, kind=self.kind)

    @property
    def recorded_label(self) -> str:
        """A record's unit as recorded and, where it has since changed, today's: 'Bình Phước
        (cũ) – nay là Đồng Nai'; just 'Quảng Ngãi' for a unit still in force."""
        if self.is_current:
            return self.label
        return _("%(recorded)s – nay là %(today)s") % {
            "recorded": self.label,
            "today": self.current_unit().label,
        }


class ProvinceName(models.Model):
    """An earlier name or kind of a provincial unit that kept its code (Tỉnh Thừa Thiên Huế
    until 31/12/2024, then Thành phố Huế; Tỉnh Đồng Nai until 29/4/2026). The unit's own row
    holds today's name and kind; these rows hold what it was called until `valid_to`. Loaded by
    migration 0009 from agencies/data/province_names.csv (sources in docs/decisions.md)."""

    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Province.Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"))
    source = models.CharField(
        _("căn cứ"), max_length=255, blank=True, help_text=_("Ví dụ: Nghị quyết 175/2024/QH15")
    )

    class Meta:
        verbose_name = _("tên cũ của tỉnh, thành phố")
        verbose_name_plural = _("tên cũ của tỉnh, thành phố")
        ordering = ["province", "valid_to"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "valid_to"], name="province_name_valid_to_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="province_name_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        super().save(*args, **kwargs)

    @property
    def is_city(self) -> bool:
        return self.kind == Province.Kind.CITY

    @property
    def full_name(self) -> str:
        """'Tỉnh Thừa Thiên Huế', 'Thành phố Huế'."""
        prefix = _("Thành phố") if self.is_city else _("Tỉnh")
        return f"{prefix} {self.name}"

    @property
    def in_text(self) -> str:
        """The name inside a sentence or after 'UBND': 'tỉnh Thừa Thiên Huế', 'thành phố Huế'."""
        full = self.full_name
        return f"{full[:1].lower()}{full[1:]}"


class Commune(models.Model):
    """A commune-level unit (xã, phường, thị trấn, đặc khu), old (10,035 until 30/6/2025, under
    their district) or current (3,321 from 1/7/2025, no district), like `Province`. An old unit
    leads to the new commune(s) it became through `CommuneSuccession`: one, or several when it
    was split (each marked partial, one of them the main one). Loaded from
    agencies/data/communes.csv by migration 0005 (docs/decisions.md "Communes")."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        SPECIAL_ZONE = "dac_khu", _("Đặc khu")
        TOWNSHIP = "thi_tran", _("Thị trấn")
        ISLAND_DISTRICT = "huyen", _("Huyện (không có cấp xã)")

    code = models.CharField(_("mã đơn vị hành chính"), max_length=5)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    district = models.CharField(
        _("huyện (đơn vị cũ)"),
        max_length=100,
        blank=True,
        help_text=_("Chỉ với đơn vị trước 1/7/2025"),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        through="CommuneSuccession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )
    search_key = models.CharField(max_length=100, editable=False, db_index=True)
    district_key = models.CharField(max_length=100, editable=False, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("xã, phường")
        verbose_name_plural = _("xã, phường")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="commune_code_valid_from_unique"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="commune_code_unique_without_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="commune_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        self.district = clean_text(self.district)
        self.search_key = commune_key(self.name)
        self.district_key = district_key(self.district)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        """'Xã Tân Thành', 'Phường 5' (a numbered ward's name already says its kind)."""
        return _named(self.name, self.kind)

    @property
    def label(self) -> str:
        """'Xã Tân Thành', or for an old unit 'Xã Tân Thành, huyện Bù Đốp (cũ)'."""
        if not self.valid_to:
            return self.full_name
        where = f", {self.district[:1].lower()}{self.district[1:]}" if self.district else ""
        return f"{self.full_name}{where} ({_('cũ')})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def form_on(self, day: datetime.date) -> "Commune | CommuneName":
        """The name and kind the unit had on `day`: itself, or the `CommuneName` valid then
        ('Xã Lộc Ninh' on 1/4/2026, 'Phường Lộc Ninh' from 30/4/2026). Reads
        `former_names` (prefetch it for a list)."""
        for former in self.former_names.all():
            if former.valid_to >= day and (former.valid_from is None or former.valid_from <= day):
                return former
        return self

    def full_name_on(self, day: datetime.date) -> str:
        """`full_name` as it was on `day`."""
        form = self.form_on(day)
        return _named(form.name, form.kind)


def _named(name: str, kind: str) -> str:
    label = _("Huyện") if kind == Commune.Kind.ISLAND_DISTRICT else Commune.Kind(kind).label
    return name if name.startswith(f"{label} ") else f"{label} {name}"


class CommuneSuccession(models.Model):
    """An old commune → a new commune it went (wholly or in part) into (Quyết định
    19/2025/QĐ-TTg; Cục Thống kê's conversion table)."""

    predecessor = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="successions", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị kế thừa")
    )
    partial = models.BooleanField(
        _("một phần"), default=False, help_text=_("Đơn vị cũ được chia cho nhiều đơn vị mới")
    )
    main = models.BooleanField(
        _("phần chính"), default=True, help_text=_("Nơi trụ sở hoặc phần lớn của đơn vị cũ")
    )

    class Meta:
        verbose_name = _("kế thừa xã, phường")
        verbose_name_plural = _("kế thừa xã, phường")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="commune_succession_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class CommuneName(models.Model):
    """A name and kind a commune had before a resolution changed them: the 22 communes of Đồng
    Nai and Bắc Ninh that became phường when their provinces became cities in 2026. The
    `Commune` row keeps today's name and kind, and its code, its successions and the
    cooperatives located in it; this row says what it was called from `valid_from` to
    `valid_to` (agencies/data/commune_changes.csv, docs/decisions.md "Communes (2026)")."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("xã, phường")
    )
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Commune.Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"))
    resolution = models.CharField(
        _("nghị quyết thay đổi"), max_length=50, help_text=_("Văn bản đổi tên hoặc loại đơn vị")
    )
    search_key = models.CharField(max_length=100, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tên cũ của xã, phường")
        verbose_name_plural = _("tên cũ của xã, phường")
        ordering = ["commune", "valid_to"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "valid_to"], name="commune_name_valid_to_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name} ({self.valid_to:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        self.search_key = commune_key(self.name)
        super().save(*args, **kwargs)


class Agency(models.Model):
    """A body that signs programs or takes part in activities. Renamed or merged bodies keep their
    record and point to their successor, so their past work is still found and counted."""

    class Kind(models.TextChoices):
        ETHNIC_AFFAIRS = "ethnic_affairs", _("Cơ quan công tác dân tộc")
        COOPERATIVE_ALLIANCE = "coop_alliance", _("Liên minh hợp tác xã")
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=50, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    succeeded_on = models.DateField(
        _("được kế thừa từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cơ quan kế thừa tiếp nhận công việc của cơ quan này."),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    # The parent body line above the agency's name in a document header (Nghị định 30/2020):
    # the People's Committee of its province, named as the province was on the document's date,
    # or another parent written out; neither for a body without a parent (a provincial
    # Cooperative Alliance, a ministry).
    under_peoples_committee = models.BooleanField(
        _("trực thuộc UBND tỉnh, thành phố"),
        default=False,
        help_text=_("Dòng cơ quan chủ quản 'UBND tỉnh …' theo tên tỉnh vào ngày của văn bản."),
    )
    parent_name = models.CharField(
        _("cơ quan chủ quản khác"),
        max_length=255,
        blank=True,
        help_text=_("Chỉ khi cơ quan chủ quản không phải UBND tỉnh; để trống nếu không có."),
    )
    search_key = models.CharField(max_length=300, editable=False, db_index=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "province"], name="agency_name_province_unique"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(province__isnull=True),
                name="agency_central_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(level="central", province__isnull=True)
                | Q(level="provincial", province__isnull=False),
                name="agency_province_matches_level",
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("pk")), name="agency_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        self.short_name = clean_text(self.short_name)
        self.parent_name = clean_text(self.parent_name)
        self.search_key = search_key(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)

    def clean(self):
        if self.level == Level.PROVINCIAL and not self.province_id:
            raise ValidationError(
                {"province": _("Cơ quan cấp tỉnh phải gắn với một tỉnh, thành phố.")}
            )
        if self.level == Level.CENTRAL and self.province_id:
            raise ValidationError(
                {"province": _("Cơ quan trung ương không gắn với tỉnh, thành phố.")}
            )
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Một cơ quan không thể kế thừa chính nó.")})
        if self.succeeded_on and not self.successor_id:
            raise ValidationError(
                {"successor": _("Cần chọn cơ quan kế thừa khi ghi ngày kế thừa.")}
            )
        if self.under_peoples_committee and not self.province_id:
            raise ValidationError(
                {
                    "under_peoples_committee": _(
                        "Chỉ cơ quan cấp tỉnh mới trực thuộc UBND tỉnh, thành phố."
                    )
                }
            )
        if self.under_peoples_committee and self.parent_name:
            raise ValidationError(
                {
                    "parent_name": _(
                        "Cơ quan trực thuộc UBND tỉnh thì không ghi cơ quan chủ quản khác."
                    )
                }
            )

    def current_agency(self) -> "Agency":
        """The agency that carries this one on today (itself when it has no successor)."""
        return last_successor(self)

    def on(self, day: datetime.date) -> "Agency":
        """The agency that carried this one on `day`: along its successors, each from its
        `succeeded_on` (Ban Dân tộc tỉnh Bình Phước on 15/12/2024 is itself; from 1/3/2025 the
        Sở Dân tộc và Tôn giáo tỉnh Bình Phước). A succession without a date is known only to
        have happened by the end of the agency's province when that province ended, else by
        today."""
        return last_successor(self, stop=lambda row: not _taken_over(row, day))

    def name_on(self, day: datetime.date) -> str:
        """This agency's name on `day`. A body named after its province takes the province's
        name of that day, as the resolutions that rename a province provide ('các cơ quan, tổ
        chức có tên gọi gắn với địa danh tỉnh … được đổi tên', Nghị quyết 175/2024/QH15):
        'Ban Dân tộc tỉnh Thừa Thiên Huế' until 31/12/2024, '… thành phố Huế' from 1/1/2025.
        Only the agency's own row: `on(day)` first for the body that carried it on that day."""
        if not self.province_id:
            return self.name
        province = self.province
        then = province.name_on(day)
        for unit in {province.full_name, *(row.full_name for row in province.names.all())}:
            for written, replacement in ((unit, then.full_name), (_lower(unit), then.in_text)):
                if self.name.endswith(f" {written}"):
                    return f"{self.name[: -len(written)]}{replacement}"
        return self.name

    def document_lines(self, day: datetime.date) -> tuple[str, str]:
        """The two header lines of this agency in a document of `day` (Nghị định 30/2020): its
        parent body ('' when none) and its own name, the province left out of it when the
        parent line already says it ('UBND tỉnh Bình Phước' / 'Ban Dân tộc')."""
        name, parent = self.name_on(day), self.parent_line(day)
        if self.under_peoples_committee and self.province_id:
            unit = self.province.name_on(day)
            for written in (unit.full_name, unit.in_text):
                if name.endswith(f" {written}"):
                    name = name[: -len(written) - 1]
        return parent, name

    def parent_line(self, day: datetime.date) -> str:
        """The parent body above this agency's name in a document of `day`: 'UBND tỉnh Bình
        Phước', 'UBND thành phố Huế' (the province as named that day), another parent as
        written, or '' for a body without one."""
        if self.under_peoples_committee and self.province_id:
            unit = self.province.name_on(day).in_text
            return _("UBND %(unit)s") % {"unit": unit}
        return self.parent_name

    @property
    def parent_today(self) -> str:
        """The parent body line of a document dated today."""
        return self.parent_line(timezone.localdate())

    @property
    def recorded_label(self) -> str:
        """The agency a record was made under and, when another carries it on today, that one:
        'Ban Dân tộc tỉnh Bình Phước – nay là Sở Dân tộc và Tôn giáo tỉnh Đồng Nai'."""
        today = self.current_agency()
        if today.pk == self.pk:
            return self.name
        return _("%(recorded)s – nay là %(today)s") % {"recorded": self.name, "today": today.name}


def _lower(text: str) -> str:
    return f"{text[:1].lower()}{text[1:]}"


def _taken_over(agency: Agency, day: datetime.date) -> bool:
    """Whether `agency`'s successor had taken over its work by `day`."""
    if agency.succeeded_on:
        return agency.succeeded_on <= day
    province = agency.province if agency.province_id else None
    return not (province and province.valid_to and day <= province.valid_to)


class Membership(models.Model):
    """A user's place in an agency. Staff enter plans and progress, managers approve, admins
    also manage reference data and imports for their agency's scope."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Cán bộ")
        MANAGER = "manager", _("Lãnh đạo")
        ADMIN = "admin", _("Quản trị")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.STAFF)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên cơ quan")
        verbose_name_plural = _("thành viên cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="membership_user_agency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency} ({self.get_role_display()})"


class NotificationKind(models.TextChoices):
    """The kinds of notification a person chooses, one by one, to get by email or only in the
    app (`Profile.in_app_only`). Kept beside the profile that stores the choice; the
    notifications app sends each notification under one of them."""

    PLAN_SUBMITTED = "plan_submitted", _("Kế hoạch được trình duyệt, chờ phê duyệt")
    PLAN_DECIDED = "plan_decided", _("Kế hoạch được phê duyệt, trả lại hoặc mở lại")
    REPORT = "report", _("Báo cáo sơ kết, tổng kết chờ xác nhận hoặc đã hoàn thành")
    JOB = "job", _("Công việc nền (nhập, xuất, báo cáo) đã xong hoặc gặp lỗi")
    REMINDER = "reminder", _("Nhắc hạn trình kế hoạch, hoàn thành báo cáo")
    DIGEST = "digest", _("Tổng hợp hằng tuần các hoạt động quá hạn")


class Profile(models.Model):
    """What a person tells about themselves beyond Django's user: phone, the language of their
    emails, and which notifications they want by email. A user without a row has the defaults
    (Vietnamese, every kind by email): read it with `Profile.of(user)`."""

    class Language(models.TextChoices):
        VI = "vi", _("Tiếng Việt")
        EN = "en", _("Tiếng Anh")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    language = models.CharField(
        _("ngôn ngữ"), max_length=5, choices=Language.choices, default=Language.VI
    )
    # The kinds (NotificationKind values) the person wants only in the app, not by email.
    in_app_only = models.JSONField(_("chỉ nhận trong ứng dụng"), default=list, blank=True)

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user) -> "Profile":
        """The user's profile, or an unsaved one with the defaults (no query when the user was
        fetched with `select_related("profile")`)."""
        try:
            return user.profile
        except cls.DoesNotExist:
            return cls(user=user)

    def wants_email(self, kind: str) -> bool:
        """Whether notifications of `kind` go out by email too (the default), not only in-app."""
        return kind not in self.in_app_only
