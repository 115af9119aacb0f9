"""Recompute the stored search keys now that `core.text.search_key` drops an apostrophe or
hyphen inside a word ("S'tiêng" is found by "stieng")."""

from django.db import migrations

from core.text import join_inner_punctuation

KEYS = [
    ("Province", ('search_key', 'former_names_key')),
    ("Agency", ("search_key",)),
]


def recompute(apps, schema_editor):
    for model_name, fields in KEYS:
        model = apps.get_model("agencies", model_name)
        changed = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=2000):
            new = {f: join_inner_punctuation(getattr(row, f)) for f in fields}
            if any(getattr(row, f) != value for f, value in new.items()):
                for f, value in new.items():
                    setattr(row, f, value)
                changed.append(row)
        model.objects.bulk_update(changed, fields, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_vi_collation")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
