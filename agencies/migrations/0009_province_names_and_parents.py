"""Names as they were on their dates (issue 15; sources in docs/decisions.md "Names through
time"):
- the earlier names and kinds of the provincial units that kept their code, from
  agencies/data/province_names.csv, and today's kind of those units (three became centrally-run
  cities);
- the date the Bộ Dân tộc và Tôn giáo took over from the Ủy ban Dân tộc (1/3/2025);
- the parent body line of the provincial bodies under their People's Committee (the ethnic
  affairs boards and departments, as the report header wrote them until now).
Rows are matched on their natural keys, so running it again changes nothing."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "province_names.csv"
BDTTG_FROM = datetime.date(2025, 3, 1)  # Nghị định 41/2025/NĐ-CP


def load_province_names(apps, codes: set[str] | None = None) -> None:
    """Record the earlier names of the units in province_names.csv (of `codes` only, if given) and
    set their kind today. Later migrations call it again for rows added to the file since."""
    Province = apps.get_model("agencies", "Province")
    ProvinceName = apps.get_model("agencies", "ProvinceName")
    for row in csv.DictReader(DATA.open(encoding="utf-8")):
        if codes is not None and row["code"] not in codes:
            continue
        valid_from = row["unit_valid_from"] or None
        unit = Province.objects.filter(
            code=row["code"], valid_from=valid_from, valid_to__isnull=True
        ).first()
        if unit is None:  # a database without the reference data
            continue
        ProvinceName.objects.update_or_create(
            province=unit,
            valid_to=datetime.date.fromisoformat(row["valid_to"]),
            defaults={"name": row["name"], "kind": row["kind"], "source": row["source"]},
        )
        Province.objects.filter(pk=unit.pk).update(kind=row["now_kind"])


def load(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    # The rows of 2024–2026 known when this migration was written; later rows have their own.
    load_province_names(apps, codes={"46", "75", "24"})
    Agency.objects.filter(
        name="Ủy ban Dân tộc", province=None, successor__isnull=False, succeeded_on=None
    ).update(succeeded_on=BDTTG_FROM)
    Agency.objects.filter(
        level="provincial", kind__in=["ethnic_affairs", "department"], parent_name=""
    ).update(under_peoples_committee=True)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0008_province_name_agency_parent")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
