import datetime
import re

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core.succession import ids_of, with_predecessor_ids
from core.text import search_key

# The day the 34 provincial units replaced the 63 (Nghị quyết 202/2025/QH15).
REORGANISATION_DATE = datetime.date(2025, 7, 1)


class ProvinceQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Units that existed on `day` (63 before 1 July 2025, 34 from then on)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self):
        """Units that exist today: those with no end of validity."""
        return self.filter(valid_to__isnull=True)

    def with_names(self):
        """Units with their earlier names and their successor, so `name_on(day)`, `on(day)`
        and `recorded_label` cost no query per row."""
        return self.select_related("successor").prefetch_related("names", "successor__names")

    def former(self):
        """Units that no longer exist under that name and code."""
        return self.filter(valid_to__isnull=False)

    def rolling_up_into(self, provinces):
        """`provinces` (a unit, ids or a queryset) and every unit whose successor chain leads to
        them, e.g. new An Giang → itself, old An Giang and Kiên Giang."""
        return self.filter(pk__in=with_predecessor_ids(self.model, ids_of(provinces)))

    def matching_name(self, name: str):
        """Units whose name, full name or a former name matches `name`, ignoring tone marks,
        case and a 'Tỉnh' / 'TP.' / 'Thành phố' prefix."""
        key = strip_province_prefix(search_key(name))
        return self.filter(Q(search_key=key) | Q(former_names_key__contains=f"|{key}|"))


_PREFIXES = ("thanh pho truc thuoc trung uong ", "thanh pho ", "tinh ", "tp. ", "tp ", "tp.")


def strip_province_prefix(key: str) -> str:
    """'tinh kien giang' → 'kien giang'; 'tp. ho chi minh' → 'ho chi minh'."""
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :].strip()
    return key


_COMMUNE_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ", "tt ", "p ", "x ")
_DISTRICT_PREFIXES = ("huyen ", "quan ", "thi xa ", "thanh pho ", "tp ", "h ", "q ", "tx ")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def words_of(value: str) -> str:
    """Tone marks, case and punctuation dropped: 'Văn Miếu - Quốc Tử Giám' → 'van mieu quoc tu
    giam', 'P.05' → 'p 05'."""
    return _NOT_ALNUM.sub(" ", search_key(value)).strip()


def _strip(key: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    # 'Phường 05' and 'Phường 5' are one ward.
    return key.lstrip("0") or key if key.isdigit() else key


def commune_key(name: str) -> str:
    """The form a commune's name is matched in: 'Xã Tân Thành' → 'tan thanh', 'Phường 05' →
    '5', 'TT. Lộc Ninh' → 'loc ninh'."""
    return _strip(words_of(name), _COMMUNE_PREFIXES)


def district_key(name: str) -> str:
    """'Huyện Bù Đốp' → 'bu dop', 'TP. Tân An' → 'tan an', 'Quận 3' → '3'."""
    return _strip(words_of(name), _DISTRICT_PREFIXES)


class CommuneQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Units that existed on `day` (the 10,035 old communes before 1 July 2025, the 3,321
        new ones from then on)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self):
        return self.filter(valid_to__isnull=True)

    def former(self):
        return self.filter(valid_to__isnull=False)

    def in_province(self, province):
        """Communes, old and new, of `province`'s current unit and every unit rolling up into it
        (Long An or Tây Ninh: the old communes of both and the new ones of Tây Ninh)."""
        provinces = self.model._meta.get_field("province").related_model.objects
        return self.filter(province__in=provinces.rolling_up_into(province.current_unit()))

    def matching_name(self, name: str):
        """Units named `name` today or formerly (`CommuneName`), ignoring tone marks, case,
        punctuation and the kind ('xã', 'phường', 'thị trấn', 'đặc khu')."""
        key = commune_key(name)
        former = self._former_names().filter(commune=OuterRef("pk"), search_key=key)
        return self.filter(Q(search_key=key) | Exists(former))

    def with_form_on(self, day: datetime.date):
        """Each unit with `name_on` and `kind_on`: its name and kind on `day`, a former one
        (`CommuneName`) when it was valid then — Xã Lộc Ninh on 1/4/2026, phường from
        30/4/2026."""
        former = (
            self._former_names()
            .filter(commune=OuterRef("pk"), valid_to__gte=day)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .order_by("valid_to")
        )
        return self.annotate(
            name_on=Coalesce(Subquery(former.values("name")[:1]), F("name")),
            kind_on=Coalesce(Subquery(former.values("kind")[:1]), F("kind")),
        )

    def leading_to_today(self):
        """Today's communes these units are or became: a current unit itself, an old unit its
        successor(s) (every part of a split one)."""
        successions = self.model._meta.get_field("successions").related_model.objects
        became = successions.filter(predecessor__in=self.former().values("pk"))
        return self.model.objects.current().filter(
            Q(pk__in=self.current().values("pk")) | Q(pk__in=became.values("successor"))
        )

    def _former_names(self):
        return self.model._meta.get_field("former_names").related_model.objects

    def in_district(self, name: str):
        """Old units of the district named `name` ('huyện', 'quận', 'thị xã', 'TP' ignored)."""
        return self.filter(district_key=district_key(name))


# How many successions `AgencyQuerySet.with_history` fetches with each agency: Ban Dân tộc tỉnh
# Bình Phước → Sở Dân tộc và Tôn giáo tỉnh Bình Phước → Sở Dân tộc và Tôn giáo tỉnh Đồng Nai.
HISTORY_DEPTH = 3


def successor_path(field: str = "") -> str:
    """The `select_related` path to an agency's successors, `HISTORY_DEPTH` generations deep:
    'successor__successor__successor', or 'lead_agency__successor__…' for an agency `field` of
    another model, so `Agency.recorded_label` costs no query per row of a list."""
    chain = "__".join(["successor"] * HISTORY_DEPTH)
    return f"{field}__{chain}" if field else chain


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_successors(self, *, names_only: bool = False):
        """Agencies with their successors up to `HISTORY_DEPTH` generations, so
        `recorded_label` ('Ban Dân tộc tỉnh Bình Phước – nay là Sở Dân tộc và Tôn giáo tỉnh
        Đồng Nai') costs no query per row. `names_only`: only the names and the links are
        fetched (a long plan's supporting agencies)."""
        rows = self.select_related(successor_path())
        if not names_only:
            return rows
        levels = ["", *(f"{'__'.join(['successor'] * n)}__" for n in range(1, HISTORY_DEPTH + 1))]
        return rows.only(*(f"{level}{name}" for level in levels for name in ("name", "successor")))

    def with_history(self):
        """Agencies with their province (and its earlier names) and their successors up to
        `HISTORY_DEPTH` generations, so `on(day)`, `parent_line(day)` and `recorded_label` cost
        no query per row in a list."""
        chains = ["__".join(["successor"] * n) for n in range(1, HISTORY_DEPTH + 1)]
        provinces = ["province", *(f"{chain}__province" for chain in chains)]
        return self.select_related(*provinces).prefetch_related(
            *(f"{province}__names" for province in provinces)
        )

    def names_on(self, day: datetime.date) -> dict[int, str]:
        """Each agency's name in a document of `day`, by id: the name of the body that carried it
        on that day, as named that day (`on(day).name_on(day)`), in one query and its prefetches
        however many rows use each agency."""
        return {agency.pk: agency.on(day).name_on(day) for agency in self.with_history()}

    def central(self):
        return self.filter(level="central")

    def with_predecessors(self, agencies):
        """`agencies` (ids or a queryset) and every agency whose successor chain leads to them:
        staff of today's Sở Dân tộc và Tôn giáo An Giang inherit Ban Dân tộc Kiên Giang's work."""
        return self.filter(pk__in=with_predecessor_ids(self.model, ids_of(agencies)))

    def search(self, query: str):
        """Tone-insensitive search on name and short name."""
        return self.filter(search_key__contains=search_key(query)) if query else self

    def visible_to(self, user):
        """Every agency for a signed-in user: agencies are reference data (named on programs,
        activities and forms); who belongs to one is `with_member`'s rule."""
        return self if _signed_in(user) else self.none()

    def with_member(self, user):
        """Agencies `user` is a member of (in any role; an active agency); all for the
        superuser. Who may see an agency's member list."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user, active=True).distinct()

    def members_managed_by(self, user):
        """Agencies whose members `user` manages: those where they hold the admin role (an
        active agency; not its predecessors or other agencies of the province); all for the
        superuser."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user, memberships__role="admin", active=True)

    def managed_by(self, user):
        """Every agency for a central admin (role admin in a central agency) and the superuser,
        who create agencies and record successions; none for anybody else."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser:
            return self
        central_admin = self.model.memberships.rel.related_model.objects.filter(
            user=user, role="admin", agency__level="central", agency__active=True
        )
        return self if central_admin.exists() else self.none()


class MembershipQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user, agency__active=True) if user.is_authenticated else self.none()

    def managers(self):
        return self.filter(role="manager")

    def visible_to(self, user):
        """Memberships of the agencies `user` belongs to (their colleagues); all for the
        superuser."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            agency__in=self.model.agency.field.related_model.objects.with_member(user)
        )

    def managed_by(self, user):
        """Memberships `user` may change (role, deactivate, reactivate): those of the agencies
        whose members they manage, except their own (an admin cannot lock themselves out)."""
        if not _signed_in(user):
            return self.none()
        agencies = self.model.agency.field.related_model.objects.members_managed_by(user)
        return self.filter(agency__in=agencies).exclude(user=user)

    def in_agencies(self, agency_ids, *, roles=None):
        """Memberships of active users in `agency_ids` (optionally only `roles`): who hears of
        the work of those agencies."""
        rows = self.filter(agency_id__in=agency_ids, user__is_active=True)
        return rows.filter(role__in=roles) if roles else rows


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active
