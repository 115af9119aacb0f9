from django.db import models
from django.db.models import Q

from agencies.access import access_for
from agencies.models import Agency, Commune, Level, Province
from core.db import vi_order
from core.models import Job
from core.text import search_key, vi_sort_key


def import_province_ids(user) -> frozenset[int] | None:
    """Ids of the current provinces `user` may import the registry for; None means every
    province and an empty set means none. The superuser and admins of a central agency import
    for every province, admins of a provincial agency only for today's unit of their agency's
    province (`cooperatives.permissions.import_policy` asks this rule)."""
    access = access_for(user)
    if not access.authenticated:
        return frozenset()
    if access.is_superuser or access.is_central_admin:
        return None
    agencies = Agency.objects.filter(
        pk__in=access.admin_agency_ids, level=Level.PROVINCIAL
    ).select_related("province")
    return frozenset(agency.province.current_unit().pk for agency in agencies)


class CooperativeQuerySet(models.QuerySet):
    def needing_commune(self):
        """Cooperatives whose address names a commune that the import could not place in one
        of today's communes (split, ambiguous or not found): the /htx/can-kiem-tra/ list."""
        return self.filter(current_commune__isnull=True).exclude(commune="")

    def importable_by(self, user):
        """Cooperatives of the provinces `user` may import for (old units' records included):
        those whose commune they may choose on /htx/can-kiem-tra/."""
        scope = import_province_ids(user)
        if scope is None:
            return self.all()
        provinces = self.model._meta.get_field("province").related_model.objects
        return self.filter(province__in=provinces.rolling_up_into(scope))

    def visible_to(self, user):
        """The registry is shared reference data: every signed-in user may read it."""
        return self.all() if access_for(user).authenticated else self.none()

    def in_province(self, province):
        """Cooperatives of `province`; a current unit includes those recorded under its old ones."""
        return self.filter(province__in=Province.objects.rolling_up_into(province))

    def in_commune(self, name: str, province):
        """Cooperatives located (`current_commune`) in today's commune(s) of `province` named
        `name` (tone marks, case and 'xã' / 'phường' ignored), or that an old commune of that
        name became: 'Lộc Thái' finds those of phường Lộc Ninh, which took it in."""
        communes = Commune.objects.in_province(province).matching_name(name).leading_to_today()
        return self.filter(current_commune__in=communes.values("pk"))

    def search(self, query: str):
        """Tone-insensitive search on name, code, commune and representative."""
        if not query:
            return self
        key = search_key(query)
        return self.filter(
            Q(search_key__contains=key) | Q(registration_code__startswith=query.strip())
        )

    def active(self):
        return self.filter(status="active")

    def in_registry_order(self):
        """By name in Vietnamese order (the `vi` collation: Đ after D, tones after the bare
        letter), then id: the registry's lists and the picker. On PostgreSQL the index
        `coop_name_vi_idx` (migration 0005_name_vi_index) holds this order, so the first page of
        35,000 cooperatives reads 50 rows of the index instead of sorting the whole table."""
        return self.order_by(vi_order("name"), "pk")

    def with_name(self, name: str):
        """Cooperatives whose name is `name`, ignoring tone marks, đ/d, case and spacing: the
        stored search key begins with the name's key (name, then commune, district and
        representative), a prefix its index serves; the exact comparison is `Cooperative.
        has_name`."""
        key = search_key(name)
        if not key:
            return self.none()
        return self.filter(Q(search_key=key) | Q(search_key__startswith=f"{key} "))

    def filter_by(
        self,
        *,
        q: str = "",
        province=None,
        kind: str = "",
        sector: str = "",
        ocop: str = "",
        ethnic_area: str = "",
        status: str = "",
        commune: str = "",
        **_ignored,
    ):
        """The list page's filters: a search, a province (a current one includes its old units),
        a commune within that province (`in_commune`), kind, sector, OCOP ('any' or a number of
        stars), ethnic-minority area ('yes'/'no') and status. Blank criteria do not filter."""
        qs = self.search(q)
        if province is not None:
            qs = qs.in_province(province)
            if commune:
                qs = qs.in_commune(commune, province)
        if kind:
            qs = qs.filter(kind=kind)
        if sector:
            qs = qs.filter(sector=sector)
        if ocop == "any":
            qs = qs.filter(ocop_stars__isnull=False)
        elif ocop:
            qs = qs.filter(ocop_stars=int(ocop))
        if ethnic_area:
            qs = qs.filter(in_ethnic_minority_area=ethnic_area == "yes")
        if status:
            qs = qs.filter(status=status)
        return qs

    def sectors(self) -> list[str]:
        """The distinct sectors in use, in Vietnamese order (for the list's filter)."""
        values = self.exclude(sector="").order_by().values_list("sector", flat=True).distinct()
        return sorted(set(values), key=vi_sort_key)


class CooperativeImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees only the files they uploaded, and only while they may still import
        for the file's province (a file without one: while they may import at all)."""
        scope = import_province_ids(user)
        if scope is not None and not scope:
            return self.none()
        mine = self.filter(uploaded_by=user)
        if scope is None:
            return mine
        return mine.filter(
            Q(province__isnull=True) | Q(province__in=Province.objects.rolling_up_into(scope))
        )

    def awaiting(self):
        """Uploads whose file is still kept and that were never confirmed."""
        return self.exclude(file="").filter(import_job__isnull=True)

    def expired(self, *, before):
        """Uploads uploaded before `before` whose file is still kept, except those whose
        import is queued or running (the worker still needs the file)."""
        return (
            self.exclude(file="")
            .filter(created_at__lt=before)
            .exclude(import_job__status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        )
