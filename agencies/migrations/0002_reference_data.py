"""Load the 63 old and 34 current provincial units (DOMAIN.md §2, from agencies/data/provinces.csv)
and the central agencies. Rows are matched on their natural keys, so running it again changes
nothing."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

from core.text import clean_text, search_key

DATA = Path(__file__).resolve().parent.parent / "data" / "provinces.csv"
LAST_DAY_OLD = datetime.date(2025, 6, 30)
FIRST_DAY_NEW = datetime.date(2025, 7, 1)
PREFIXES = ("thanh pho ", "tinh ", "tp ")

CENTRAL_AGENCIES = [
    # name, short name, kind, active, successor name
    ("Bộ Dân tộc và Tôn giáo", "BDTTG", "ethnic_affairs", True, None),
    ("Ủy ban Dân tộc", "UBDT", "ethnic_affairs", False, "Bộ Dân tộc và Tôn giáo"),
    ("Liên minh Hợp tác xã Việt Nam", "VCA", "coop_alliance", True, None),
]


def _key(name: str) -> str:
    key = search_key(name)
    for prefix in PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


def load(apps, schema_editor):
    Province = apps.get_model("agencies", "Province")
    Agency = apps.get_model("agencies", "Agency")
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    current = {}
    for row in rows:
        if row["era"] == "old":
            continue
        valid_from = FIRST_DAY_NEW if row["era"] == "new" else None
        names = [clean_text(n) for n in row["former_names"].split(";") if n.strip()]
        unit, _ = Province.objects.update_or_create(
            code=row["code"],
            valid_from=valid_from,
            defaults={
                "name": clean_text(row["name"]),
                "kind": row["kind"],
                "valid_to": None,
                "successor": None,
                "former_names": "; ".join(names),
                "search_key": _key(row["name"]),
                "former_names_key": "".join(f"|{_key(n)}|" for n in names),
            },
        )
        current[row["code"]] = unit
    for row in rows:
        if row["era"] != "old":
            continue
        names = [clean_text(n) for n in row["former_names"].split(";") if n.strip()]
        Province.objects.update_or_create(
            code=row["code"],
            valid_from=None,
            defaults={
                "name": clean_text(row["name"]),
                "kind": row["kind"],
                "valid_to": LAST_DAY_OLD,
                "successor": current[row["successor_code"]],
                "former_names": "; ".join(names),
                "search_key": _key(row["name"]),
                "former_names_key": "".join(f"|{_key(n)}|" for n in names),
            },
        )
    for name, short, kind, active, _successor in CENTRAL_AGENCIES:
        Agency.objects.update_or_create(
            name=name,
            province=None,
            defaults={
                "short_name": short,
                "kind": kind,
                "level": "central",
                "active": active,
                "search_key": search_key(f"{name} {short}"),
            },
        )
    for name, *_rest, successor in CENTRAL_AGENCIES:
        if successor:
            Agency.objects.filter(name=name, province=None).update(
                successor=Agency.objects.get(name=successor, province=None)
            )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
