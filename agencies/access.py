"""What a user may see and change, worked out once per request from their memberships.

Every app's `visible_to(user)` / `editable_by(user)` QuerySet methods read this, so the rules
live in one place:
- a member of an agency acts for it and for every predecessor it carries on;
- staff, managers and admins of an agency may edit the work of that agency;
- managers approve; central (national-level) managers read everything;
- admins (the Django superuser or the admin role) manage reference data; a provincial admin
  only within their province.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from core.prepared import PreparedQuery
from core.succession import successor_links_of, with_predecessors

from .models import Agency, Level, Membership, Province


@dataclass(frozen=True)
class Access:
    authenticated: bool
    is_superuser: bool = False
    agency_ids: frozenset[int] = field(default_factory=frozenset)
    manager_agency_ids: frozenset[int] = field(default_factory=frozenset)
    admin_agency_ids: frozenset[int] = field(default_factory=frozenset)
    province_ids: frozenset[int] = field(default_factory=frozenset)
    is_central: bool = False
    is_central_manager: bool = False
    is_central_admin: bool = False

    @property
    def reads_everything(self) -> bool:
        """Central managers and admins and the superuser see the whole country."""
        return self.is_superuser or self.is_central_manager or self.is_central_admin

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or bool(self.admin_agency_ids)

    @property
    def is_manager(self) -> bool:
        return self.is_superuser or bool(self.manager_agency_ids)


ANONYMOUS = Access(authenticated=False)

# Read on every request: compiled once per process (core.prepared), the rule still `of(user)`.
_MEMBERSHIPS = PreparedQuery(
    lambda user_id: Membership.objects.of(get_user_model()(pk=user_id)).values_list(
        "agency_id", "role", "agency__level", "agency__province_id"
    ),
    int,
)


def access_for(user) -> Access:
    """The user's access, computed once and cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_hopluc_access", None)
    if cached is not None:
        return cached
    rows = _MEMBERSHIPS(user.pk)
    by_role: dict[str, set[int]] = {role: set() for role in Membership.Role.values}
    province_ids: set[int] = set()
    central_roles: set[str] = set()
    for agency_id, role, level, province_id in rows:
        by_role[role].add(agency_id)
        if level == Level.CENTRAL:
            central_roles.add(role)
        elif province_id:
            province_ids.add(province_id)
    all_ids = set().union(*by_role.values())
    # Read on every request: one query for the agencies' and provinces' successor links.
    agency_links, province_links = successor_links_of(Agency, Province) if all_ids else ({}, {})
    access = Access(
        authenticated=True,
        is_superuser=user.is_superuser,
        agency_ids=frozenset(with_predecessors(agency_links, all_ids)),
        manager_agency_ids=frozenset(with_predecessors(agency_links, by_role["manager"])),
        admin_agency_ids=frozenset(with_predecessors(agency_links, by_role["admin"])),
        province_ids=frozenset(with_predecessors(province_links, province_ids)),
        is_central=bool(central_roles),
        is_central_manager="manager" in central_roles,
        is_central_admin="admin" in central_roles,
    )
    user._hopluc_access = access
    return access


def people_of(agencies, *, roles=None):
    """Active users with a membership (in `roles`, else any) in one of `agencies` or in the
    agency carrying it on today (a program signed by Ban Dân tộc Bình Phước is now the work of
    Sở Dân tộc và Tôn giáo Đồng Nai's people): who hears of those agencies' work."""
    ids = set()
    for agency in agencies:
        ids.update({agency.pk, agency.current_agency().pk})
    memberships = Membership.objects.filter(agency_id__in=ids, agency__active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("pk")
    )
