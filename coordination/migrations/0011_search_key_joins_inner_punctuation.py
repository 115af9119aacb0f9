"""Recompute the stored search keys now that `core.text.search_key` drops an apostrophe or
hyphen inside a word ("S'tiêng" is found by "stieng")."""

from django.db import migrations

from core.db import rejoin_search_keys

KEYS = [
    ("Program", ("search_key",)),
]


recompute = rejoin_search_keys("coordination", KEYS)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0010_progress_result_text")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
