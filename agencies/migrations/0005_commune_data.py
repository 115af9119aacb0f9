"""Load the 10,040 old commune-level units (10,035 communes and 5 island districts without
one), the 3,321 current communes and the old → new links, from agencies/data/communes.csv and
commune_successors.csv (rebuilt by `manage.py build_commune_data`; source and licence in
docs/decisions.md). Runs again without change: the rows are matched on code and validity."""

import csv
import datetime
import re
import unicodedata
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
LAST_DAY_OLD = datetime.date(2025, 6, 30)
FIRST_DAY_NEW = datetime.date(2025, 7, 1)
BATCH = 2000


def _key(value: str, prefixes: tuple[str, ...]) -> str:
    # A frozen copy of agencies.querysets.commune_key / district_key: a migration must give
    # the same rows whatever those functions become later.
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", value).strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("đ", "d")
    # An apostrophe or hyphen between two letters is dropped ("Ea H'Leo" → "ea hleo"), as
    # core.text.search_key does.
    text = re.sub(r"(?<=[^\W\d_])['’ʼ‘`´\-‐](?=[^\W\d_])", "", text)
    key = re.sub(r"[^0-9a-z]+", " ", text).strip()
    for prefix in prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    return key.lstrip("0") or key if key.isdigit() else key


COMMUNE = ("xa ", "phuong ", "thi tran ", "dac khu ", "tt ", "p ", "x ")
DISTRICT = ("huyen ", "quan ", "thi xa ", "thanh pho ", "tp ", "h ", "q ", "tx ")


def load(apps, schema_editor):
    Province = apps.get_model("agencies", "Province")
    Commune = apps.get_model("agencies", "Commune")
    Succession = apps.get_model("agencies", "CommuneSuccession")
    if Commune.objects.exists():
        return
    old_province = {p.code: p.pk for p in Province.objects.exclude(valid_from=FIRST_DAY_NEW)}
    new_province = {p.code: p.pk for p in Province.objects.filter(valid_to__isnull=True)}
    units = []
    for row in csv.DictReader((DATA / "communes.csv").open(encoding="utf-8")):
        old = row["era"] == "old"
        units.append(
            Commune(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                province_id=(old_province if old else new_province)[row["province_code"]],
                district=row["district"],
                valid_from=None if old else FIRST_DAY_NEW,
                valid_to=LAST_DAY_OLD if old else None,
                search_key=_key(row["name"], COMMUNE),
                district_key=_key(row["district"], DISTRICT),
            )
        )
    Commune.objects.bulk_create(units, batch_size=BATCH)
    old_id = dict(Commune.objects.filter(valid_to=LAST_DAY_OLD).values_list("code", "pk"))
    new_id = dict(Commune.objects.filter(valid_from=FIRST_DAY_NEW).values_list("code", "pk"))
    Succession.objects.bulk_create(
        [
            Succession(
                predecessor_id=old_id[row["old_code"]],
                successor_id=new_id[row["new_code"]],
                partial=row["partial"] == "1",
                main=row["main"] == "1",
            )
            for row in csv.DictReader((DATA / "commune_successors.csv").open(encoding="utf-8"))
        ],
        batch_size=BATCH,
    )


def unload(apps, schema_editor):
    apps.get_model("agencies", "Commune").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0004_commune")]

    operations = [migrations.RunPython(load, unload)]
