"""Who may read and import the cooperative registry, as `core.permissions` policies.

Reading (and exporting) is open to everyone signed in (`CooperativeQuerySet.visible_to`).
Importing is done for a province: the superuser and admins of a central agency import for
every province, admins of a provincial agency only for their own (`import_province_ids` in
querysets.py, the rule; the forms, the resource and the uploads' `visible_to` read it too).
The pages ask `import_policy`.
"""

from agencies.models import Province
from core.permissions import READ, Policy

from .models import Cooperative, CooperativeImport
from .querysets import import_province_ids

IMPORT = "import"


def importable_provinces(provinces, user):
    """Today's provinces among `provinces` that `user` may import the registry for."""
    scope = import_province_ids(user)
    provinces = provinces.current()
    return provinces if scope is None else provinces.filter(pk__in=scope)


cooperative_policy = Policy(Cooperative, {READ: "visible_to"})
# An upload of the web import: its uploader's, while they may still import for its province.
upload_policy = Policy(CooperativeImport, {READ: "visible_to"})
# Provinces are reference data everyone reads; an import is done for a province.
import_policy = Policy(
    Province, {READ: lambda provinces, user: provinces, IMPORT: importable_provinces}
)
