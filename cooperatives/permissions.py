"""Who may import into the cooperative registry, read from `agencies.access.access_for`.

Reading is open to everyone signed in (`CooperativeQuerySet.visible_to`). Importing is for the
superuser and admins of a central agency (any province) and admins of a provincial agency (only
their own province: today's unit of their agency's province).
"""

from agencies.access import access_for
from agencies.models import Agency, Level


def import_province_ids(user) -> frozenset[int] | None:
    """Ids of the current provinces `user` may import for; None means every province and an
    empty set means none."""
    access = access_for(user)
    if not access.authenticated:
        return frozenset()
    if access.is_superuser or access.is_central_admin:
        return None
    agencies = Agency.objects.filter(
        pk__in=access.admin_agency_ids, level=Level.PROVINCIAL
    ).select_related("province")
    return frozenset(agency.province.current_unit().pk for agency in agencies)


def can_import(user) -> bool:
    """The one check every import entry point (page, admin) makes."""
    scope = import_province_ids(user)
    return scope is None or bool(scope)
