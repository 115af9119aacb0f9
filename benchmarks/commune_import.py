"""Cooperative import whose rows spread over thousands of distinct communes (issue 15): does
placing each row's commune in today's commune dominate the import?

    .venv/bin/python benchmarks/commune_import.py [--rows 20000] [--communes 6000] [--rounds 2]
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/commune_import.py

Two files of the same rows are written into benchmarks/out/ (`--out DIR`): one whose rows name
`--communes` distinct communes drawn from the reference data — half old ones written the
pre-July-2025 way (xã, huyện, old tỉnh), half today's (xã, tỉnh), every kind and spelling as
the data has them — and the same file without the Xã and Quận/huyện columns. Each round imports
both, each into an empty registry through `manage.py import_cooperatives` in a fresh process,
alternately; and once more in-process with the commune placement timed on its own
(`CooperativeResource._place_commune`). Results go to docs/benchmarks.md by hand. Goal: the
file with communes within 10 % of the one without (issue 15).
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks import cooperative_import  # noqa: E402
from benchmarks.cooperative_import import child_clear, child_command, fresh_database  # noqa: E402
from benchmarks.environment import ROOT, configure, setup  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
ADDRESS = ("Xã", "Quận/huyện")


def child_write(path: str, rows: int, communes: int, with_communes: str) -> dict:
    """The file: rows cycling over `communes` distinct units (half old, half new)."""
    setup()
    from agencies.models import Commune
    from cooperatives.tests.files import MESSY_COLUMNS, messy_row, messy_workbook

    rng = random.Random(2026)
    old = list(
        Commune.objects.former()
        .exclude(kind=Commune.Kind.ISLAND_DISTRICT)
        .values_list("name", "kind", "district", "province__name")
    )
    new = list(Commune.objects.current().values_list("name", "kind", "district", "province__name"))
    units = rng.sample(old, min(len(old), communes - communes // 2))
    units += rng.sample(new, min(len(new), communes // 2))
    labels = dict(Commune.Kind.choices)
    keep = [
        i for i, (_g, header) in enumerate(MESSY_COLUMNS) if with_communes or header not in ADDRESS
    ]
    columns = [MESSY_COLUMNS[i] for i in keep]

    def row(number: int) -> list:
        name, kind, district, province = units[number % len(units)]
        values = messy_row(
            number,
            **{
                "Mã số thuế": f"{3800000000 + number}",
                "Tên hợp tác xã": f"HTX Nông nghiệp số {number}",
                "Xã": f"{labels[kind]} {name}" if number % 2 else name,
                "Quận/huyện": district or None,
                "Tỉnh": province,
            },
        )
        return [values[i] for i in keep]

    started = time.perf_counter()
    data = messy_workbook((row(n) for n in range(1, rows + 1)), columns=columns, write_only=True)
    Path(path).write_bytes(data)
    return {"seconds": time.perf_counter() - started, "bytes": len(data), "units": len(units)}


def child_profile(path: str) -> dict:
    """The import as a dry run (`cooperatives_import`) in this process, with the time spent
    placing communes (`CooperativeResource._place_commune`) counted apart."""
    setup()
    from cooperatives.resources import CooperativeResource
    from cooperatives.services import cooperatives_import

    spent = [0.0, 0]
    place = CooperativeResource._place_commune

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return place(self, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
            spent[1] += 1

    CooperativeResource._place_commune = timed
    data = Path(path).read_bytes()
    started = time.perf_counter()
    report = cooperatives_import(data=data, name="x.xlsx", dry_run=True)
    return {
        "seconds": time.perf_counter() - started,
        "commune_seconds": spent[0],
        "rows": spent[1],
        "new": report.new,
        "warnings": len(report.warnings),
    }


CHILDREN = {
    "clear": child_clear,
    "write": child_write,
    "command": child_command,
    "profile": child_profile,
}


def run_child(env: dict, mode: str, *args) -> dict:
    return cooperative_import.run_child(env, mode, *args, script=__file__)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--communes", type=int, default=6_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the generated files")
    if sys.argv[1:2] == ["--child"]:
        mode, *args = sys.argv[2:]
        args = [int(a) if a.isdigit() else a for a in args]
        print(json.dumps(CHILDREN[mode](*args)))
        return
    options = parser.parse_args()
    configure()  # the key and settings the child processes inherit
    options.out.mkdir(parents=True, exist_ok=True)
    stem = f"communes-{options.rows}-{options.communes}"
    files = {"with": options.out / f"{stem}.xlsx", "without": options.out / f"{stem}-none.xlsx"}
    database = "PostgreSQL" if "postgres" in os.environ.get("DATABASE_URL", "") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir:
        env = fresh_database(dict(os.environ), Path(workdir))
        for which, path in files.items():
            if not path.exists():
                args = (path, options.rows, options.communes, "1" if which == "with" else "")
                written = run_child(env, "write", *args)
                print(
                    f"wrote {path.name}: {written['units']} communes, {written['bytes'] / 1e6:.1f} MB"
                )
        times: dict[str, list[float]] = {"with": [], "without": []}
        for _round in range(options.rounds):
            for which, path in files.items():
                run_child(env, "clear")
                result = run_child(env, "command", path)
                times[which].append(result["seconds"])
                print(f"{which} communes: {result['seconds']:.1f} s — {result['summary']}")
        profile = run_child(env, "profile", files["with"])
    print(f"\n{options.rows} rows over {options.communes} communes, {database}")
    print("| import_cooperatives, new rows | runs (s) | best (s) |")
    print("| --- | --- | ---: |")
    for which, runs in times.items():
        label = "with the commune columns" if which == "with" else "without them"
        print(f"| {label} | {', '.join(f'{t:.1f}' for t in runs)} | {min(runs):.1f} |")
    ratio = min(times["with"]) / min(times["without"])
    print(f"\nwith / without = {ratio:.2f} (best runs; the machine is shared)")
    share = profile["commune_seconds"] / profile["seconds"]
    print(
        f"in-process dry run: {profile['seconds']:.1f} s, placing communes "
        f"{profile['commune_seconds']:.1f} s ({share:.0%}) over {profile['rows']} rows; "
        f"{profile['warnings']} rows left to check"
    )


if __name__ == "__main__":
    main()
