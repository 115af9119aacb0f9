"""The 22 communes of Đồng Nai and Bắc Ninh that became phường in 2026 (Nghị quyết
237/NQ-UBTVQH16 from 30/4/2026, 388/NQ-UBTVQH16 from 20/9/2026), from
agencies/data/commune_changes.csv (rebuilt by `manage.py build_commune_changes`): each commune
row takes its new kind (and name), and its earlier form is kept as a CommuneName valid until the
day before. Runs again without change."""

import csv
import datetime
import importlib
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
# The frozen key of migration 0005, so these rows get the keys that one gave.
_frozen = importlib.import_module("agencies.migrations.0005_commune_data")
_key, COMMUNE = _frozen._key, _frozen.COMMUNE


def load(apps, schema_editor):
    Commune = apps.get_model("agencies", "Commune")
    CommuneName = apps.get_model("agencies", "CommuneName")
    for row in csv.DictReader((DATA / "commune_changes.csv").open(encoding="utf-8")):
        unit = Commune.objects.filter(code=row["code"], valid_to__isnull=True).first()
        if unit is None or unit.former_names.exists():
            continue
        starts = datetime.date.fromisoformat(row["valid_from"])
        CommuneName.objects.create(
            commune=unit,
            name=row["former_name"],
            kind=row["former_kind"],
            valid_from=unit.valid_from,
            valid_to=starts - datetime.timedelta(days=1),
            resolution=row["resolution"],
            search_key=_key(row["former_name"], COMMUNE),
        )
        unit.name, unit.kind = row["name"], row["kind"]
        unit.search_key = _key(row["name"], COMMUNE)
        unit.save(update_fields=["name", "kind", "search_key"])


def unload(apps, schema_editor):
    CommuneName = apps.get_model("agencies", "CommuneName")
    for former in CommuneName.objects.select_related("commune"):
        unit = former.commune
        unit.name, unit.kind, unit.search_key = former.name, former.kind, former.search_key
        unit.save(update_fields=["name", "kind", "search_key"])
    CommuneName.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0010_commune_name")]

    operations = [migrations.RunPython(load, unload)]
