"""Quảng Ninh a centrally-run city from 1/9/2026 (Nghị quyết 36/2026/QH16 of 24/8/2026; sources in
docs/decisions.md "Names through time"): its row of agencies/data/province_names.csv, loaded the
way 0009 loaded the others. Matched on natural keys, so running it again changes nothing."""

import importlib

from django.db import migrations


def load(apps, schema_editor):
    names = importlib.import_module("agencies.migrations.0009_province_names_and_parents")
    names.load_province_names(apps, codes={"22"})


class Migration(migrations.Migration):
    dependencies = [("agencies", "0011_commune_changes_2026")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
