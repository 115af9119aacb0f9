"""Recompute the stored search keys now that `core.text.search_key` drops an apostrophe or
hyphen inside a word ("S'tiêng" is found by "stieng")."""

from django.db import migrations

from core.db import rejoin_search_keys

KEYS = [
    ("Cooperative", ("search_key",)),
]


recompute = rejoin_search_keys("cooperatives", KEYS)


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0002_cooperative_import")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
