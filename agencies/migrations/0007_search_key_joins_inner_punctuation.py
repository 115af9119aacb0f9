"""Recompute the stored search keys now that `core.text.search_key` drops an apostrophe or
hyphen inside a word ("S'tiêng" is found by "stieng")."""

from django.db import migrations

from core.db import rejoin_search_keys

KEYS = [
    ("Province", ('search_key', 'former_names_key')),
    ("Agency", ("search_key",)),
]


recompute = rejoin_search_keys("agencies", KEYS)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0006_profile_agency_succeeded_on")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
