"""Cooperative import at national scale: a 50,000-row messy provincial file.

    .venv/bin/python benchmarks/cooperative_import.py [--rows 50000] [--compare-rows 10000]
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/cooperative_import.py
    … benchmarks/cooperative_import.py --pairs 3       # only (a) and (b), interleaved
    … benchmarks/cooperative_import.py --layouts       # import ÷ reads, two layouts (issue 18)

Measures, each in a fresh process (peak memory is that process's maximum resident size):
  (a) reading the file with openpyxl in read-only mode and nothing else;
  (b) the full `manage.py import_cooperatives FILE` into an empty registry, then again (all
      unchanged), on the database of DATABASE_URL (a fresh SQLite file when unset);
and, to choose the path, reading with python-calamine, the full import with the openpyxl
reader, and django-import-export's row-by-row path against our bulk path on a smaller file.
The files are written once into benchmarks/out/ (`--out DIR`) and reused by later runs.
Results go to docs/benchmarks.md by hand. Goal: (b) within 1.5x of (a), under 1 GB.

`--layouts` (issue 18) writes the file in two layouts — the messy provincial one with few
columns (title rows, two-row merged header, units in the headers, numbers and dates in mixed
forms: 9 columns) and the same with many columns (25) — and, for each, times in fresh
processes the calamine read, the openpyxl read-only read and the command into an empty
registry (`--rounds N` times, interleaved), printing import ÷ calamine and import ÷ openpyxl;
then, in one process after Django is set up (as the worker runs the background jobs), the
calamine read and `cooperatives_import` of each file in CPU seconds.
Goal: import within 4× of the calamine read, under 1 GB.

`--floor` (issue 18, eighth pass) measures, for the same two files in fresh processes, what
any import of them pays whatever its rules cost: Django's start, the calamine read, the safety
checks and the write of the rows by the import's own writer, each ÷ the calamine read.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks.environment import ROOT, configure, setup  # noqa: E402

OUT = ROOT / "benchmarks" / "out"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process so far: steadier than wall time on a shared machine (the
    database server's own work, on PostgreSQL, is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- child processes -------------------------------------------------------------------
# The messy layout with few columns: a typical provincial summary list (issue 18).
FEW_COLUMNS: list[tuple[str | None, str]] = [
    (None, "STT"),
    (None, "Mã số thuế"),
    (None, "Tên hợp tác xã"),
    ("Địa chỉ", "Xã"),
    ("Địa chỉ", "Tỉnh"),
    (None, "Ngày cấp GCN"),
    ("Số thành viên", "Tổng số"),
    ("Số thành viên", "Trong đó DTTS"),
    (None, "Vốn điều lệ (triệu đồng)"),
]


def child_write(path: str, rows: int, members_offset: int = 0, layout: str = "many") -> dict:
    import random

    from cooperatives.tests.files import MESSY_COLUMNS, messy_row, messy_workbook

    columns = FEW_COLUMNS if layout == "few" else MESSY_COLUMNS
    wanted = [MESSY_COLUMNS.index(column) for column in columns]

    random.seed(2026)
    provinces = [
        "Tỉnh Bình Phước",
        "Đồng Nai",
        "Kon Tum",
        "TP. Hồ Chí Minh",
        "Kiên Giang",
        "Hà Giang",
    ]

    def row(number: int) -> list:
        values = messy_row(
            number,
            **{
                "Mã số thuế": 100000000 + number if number % 3 == 0 else f"{3800000000 + number}",
                "Tên hợp tác xã": f"HTX Nông nghiệp Bù Gia Mập số {number}",
                "Tỉnh": random.choice(provinces),
                "Ngày cấp GCN": "12/03/2019" if number % 2 else 43536,
                "Vốn điều lệ (triệu đồng)": "1.250,5" if number % 2 else 1500,
                "Số sao OCOP": random.choice([None, None, "3 sao", "4*", "★★★"]),
                "Tổng số": 20 + number % 50 + members_offset,
                "Trong đó DTTS": number % 20,
            },
        )
        return [values[index] for index in wanted]

    started = time.perf_counter()
    data = messy_workbook((row(n) for n in range(1, rows + 1)), columns=columns, write_only=True)
    Path(path).write_bytes(data)
    return {"seconds": time.perf_counter() - started, "bytes": len(data)}


def child_read_openpyxl(path: str) -> dict:
    import openpyxl

    started, cpu = time.perf_counter(), cpu_s()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _row in workbook.active.iter_rows(values_only=True))
    return {
        "seconds": time.perf_counter() - started,
        "cpu": cpu_s() - cpu,
        "rows": rows,
        "peak_mb": peak_mb(),
    }


def child_read_calamine(path: str) -> dict:
    import python_calamine

    started, cpu = time.perf_counter(), cpu_s()
    workbook = python_calamine.CalamineWorkbook.from_path(path)
    rows = sum(1 for _row in workbook.get_sheet_by_index(0).iter_rows())
    return {
        "seconds": time.perf_counter() - started,
        "cpu": cpu_s() - cpu,
        "rows": rows,
        "peak_mb": peak_mb(),
    }


def child_command(path: str, *extra: str) -> dict:
    """The command exactly as an operator runs it, timed from process start."""
    started, cpu = time.perf_counter(), cpu_s()
    setup()
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("import_cooperatives", path, *extra, stdout=out, stderr=out)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": cpu_s() - cpu,
        "summary": out.getvalue().splitlines()[-1],
        "peak_mb": peak_mb(),
    }


def child_in_process(path: str) -> dict:
    """In one process after Django is set up, as a worker runs the background jobs: the
    calamine read of the file, then `cooperatives_import` of it into an empty registry (its
    own read included), each in CPU seconds (issue 18, fifth pass)."""
    setup()
    import io

    import python_calamine

    from cooperatives.models import Cooperative
    from cooperatives.services import cooperatives_import

    Cooperative.objects.all().delete()
    data = Path(path).read_bytes()
    cpu = cpu_s()
    workbook = python_calamine.CalamineWorkbook.from_object(io.BytesIO(data))
    rows = sum(1 for _row in workbook.get_sheet_by_index(0).iter_rows())
    read = cpu_s() - cpu
    del workbook
    started, cpu = time.perf_counter(), cpu_s()
    report = cooperatives_import(data=data, name=Path(path).name)
    return {
        "rows": rows,
        "read_cpu": read,
        "seconds": time.perf_counter() - started,
        "cpu": cpu_s() - cpu,
        "summary": report.summary,
        "peak_mb": peak_mb(),
    }


def child_floor(path: str) -> dict:
    """What any import of the file pays whatever its rules cost (issue 18, eighth pass), each
    as wall and CPU seconds: Django's start as the command makes it, the calamine read, the
    safety checks made before a library opens the file, and the write of the file's rows by
    the import's own writer (`writes.insert_rows`, in batches, in one transaction) into an
    empty registry, with the rows the import made (imported once, read back, deleted)."""
    started, cpu = time.perf_counter(), cpu_s()
    setup()
    from cooperatives.management.commands import import_cooperatives  # noqa: F401

    start = {"seconds": time.perf_counter() - started, "cpu": cpu_s() - cpu}
    import io

    import python_calamine
    from django.db import transaction

    from cooperatives.importer import check_file
    from cooperatives.models import Cooperative
    from cooperatives.resources import CooperativeResource
    from cooperatives.resources.writes import ATTNAMES, insert_rows
    from cooperatives.services import cooperatives_import

    data = Path(path).read_bytes()

    def timed(work) -> dict:
        started, cpu = time.perf_counter(), cpu_s()
        work()
        return {"seconds": time.perf_counter() - started, "cpu": cpu_s() - cpu}

    def read():
        workbook = python_calamine.CalamineWorkbook.from_object(io.BytesIO(data))
        sum(1 for _row in workbook.get_sheet_by_index(0).iter_rows())

    reading = timed(read)
    checks = timed(lambda: check_file(data, name=Path(path).name))
    Cooperative.objects.all().delete()
    cooperatives_import(data=data, name=Path(path).name)
    rows = list(Cooperative.objects.order_by("pk").values(*ATTNAMES))
    Cooperative.objects.all().delete()
    for row in rows:
        row["id"] = None
    batch = CooperativeResource._meta.batch_size

    def write():
        with transaction.atomic():
            for first in range(0, len(rows), batch):
                insert_rows(rows[first : first + batch], using="default")

    writing = timed(write)
    return {"rows": len(rows), "start": start, "read": reading, "checks": checks, "write": writing}


def child_path(path: str, mode: str) -> dict:
    """django-import-export's default row-by-row path or our bulk path, on the same dataset."""
    setup()
    from import_export.instance_loaders import ModelInstanceLoader

    from cooperatives.importer import read_file
    from cooperatives.models import Cooperative
    from cooperatives.resources import CooperativeResource

    class RowByRow(CooperativeResource):
        class Meta(CooperativeResource.Meta):
            use_bulk = False
            skip_diff = False
            instance_loader_class = ModelInstanceLoader

    dataset = read_file(Path(path).read_bytes(), name="x.xlsx")
    resource_class = RowByRow if mode == "row" else CooperativeResource
    Cooperative.objects.all().delete()
    started = time.perf_counter()
    result = resource_class().import_data(dataset, dry_run=False, use_transactions=True)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": len(dataset),
        "rows_per_s": len(dataset) / seconds,
        "summary": result.report.summary,
        "peak_mb": peak_mb(),
    }


def child_clear() -> dict:
    setup()
    from cooperatives.models import Cooperative

    Cooperative.objects.all().delete()
    return {}


CHILDREN = {
    "clear": child_clear,
    "write": child_write,
    "read-openpyxl": child_read_openpyxl,
    "read-calamine": child_read_calamine,
    "command": child_command,
    "path": child_path,
    "in-process": child_in_process,
    "floor": child_floor,
}


# --- orchestration ---------------------------------------------------------------------
def database_name(env: dict) -> str:
    return "PostgreSQL" if "postgres" in env.get("DATABASE_URL", "") else "SQLite"


def run_child(env: dict, mode: str, *args, script: str = __file__) -> dict:
    """`script --child mode args…` in a fresh process; its JSON result."""
    output = subprocess.run(
        [sys.executable, script, "--child", mode, *map(str, args)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def fresh_database(env: dict, workdir: Path) -> dict:
    env = dict(env)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    run_child(env, "clear")
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--compare-rows", type=int, default=10_000)
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="only (a) and (b), interleaved this many times (fairer on a shared machine)",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the generated files")
    parser.add_argument(
        "--layouts",
        action="store_true",
        help="import ÷ calamine read and ÷ openpyxl read, few and many columns (issue 18)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="rounds of --layouts")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="what any import of the --layouts files pays, ÷ the calamine read (issue 18)",
    )
    if sys.argv[1:2] == ["--child"]:
        mode, *args = sys.argv[2:]
        args = [int(a) if a.isdigit() else a for a in args]
        print(json.dumps(CHILDREN[mode](*args)))
        return
    options = parser.parse_args()
    configure()  # the children's environment: settings, a key, plain HTTP

    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    if options.layouts or options.floor:
        (floor if options.floor else layouts)(dict(os.environ), out, options.rows, options.rounds)
        return
    big, small = out / f"messy-{options.rows}.xlsx", out / f"messy-{options.compare_rows}.xlsx"
    changed = out / f"messy-{options.rows}-changed.xlsx"
    env = dict(os.environ)
    for path, rows, offset in (
        (big, options.rows, 0),
        (small, options.compare_rows, 0),
        (changed, options.rows, 1),
    ):
        if not path.exists():
            written = run_child(env, "write", path, rows, offset)
            print(
                f"wrote {path.name}: {written['bytes'] / 1e6:.1f} MB in {written['seconds']:.1f} s"
            )
    database = database_name(env)
    if options.pairs:
        pairs(env, big, options.pairs, database)
        return
    with tempfile.TemporaryDirectory() as workdir:
        env = fresh_database(env, Path(workdir))
        results = {
            "(a) openpyxl read-only read": run_child(env, "read-openpyxl", big),
            "(a) again, after (b)": None,
            "calamine read": run_child(env, "read-calamine", big),
            "(b) import_cooperatives, new rows": run_child(env, "command", big),
            "(b) import_cooperatives, again (unchanged)": run_child(env, "command", big),
            "import_cooperatives, every row changed": run_child(env, "command", changed),
            "import_cooperatives --dry-run": run_child(env, "command", big, "--dry-run"),
        }
        results["(a) again, after (b)"] = run_child(env, "read-openpyxl", big)
        env = fresh_database(env, Path(workdir))
        results["import_cooperatives --engine openpyxl, new rows"] = run_child(
            env, "command", big, "--engine", "openpyxl"
        )
        results[f"row-by-row path, {options.compare_rows} rows"] = run_child(
            env, "path", small, "row"
        )
        results[f"bulk path, {options.compare_rows} rows"] = run_child(env, "path", small, "bulk")
    print(f"\n{options.rows} rows, {database}")
    print("| measurement | seconds | peak MB | notes |")
    print("| --- | ---: | ---: | --- |")
    for name, result in results.items():
        notes = result.get("summary", "")
        if "rows_per_s" in result:
            notes += f" ({result['rows_per_s']:.0f} rows/s)"
        print(f"| {name} | {result['seconds']:.1f} | {result['peak_mb']:.0f} | {notes} |")
    a = min(
        results["(a) openpyxl read-only read"]["seconds"],
        results["(a) again, after (b)"]["seconds"],
    )
    b = results["(b) import_cooperatives, new rows"]["seconds"]
    print(f"\n(b) / (a) = {b / a:.2f} (the faster of the two (a) runs; the machine is shared)")


def _both(result: dict) -> str:
    return f"{result['seconds']:.2f} ({result['cpu']:.2f})"


def _ratios(command: dict, read: dict) -> str:
    wall = command["seconds"] / read["seconds"]
    return f"{wall:.2f} ({command['cpu'] / max(read['cpu'], 0.001):.2f})"


def layout_files(env: dict, out: Path, rows: int) -> dict[str, Path]:
    """The two layouts' files, written the first time."""
    files = {}
    for layout in ("few", "many"):
        files[layout] = out / f"messy-{layout}-{rows}.xlsx"
        if not files[layout].exists():
            run_child(env, "write", files[layout], rows, 0, layout)
    return files


def floor(env: dict, out: Path, rows: int, rounds: int) -> None:
    """`child_floor` for each layout, `rounds` times, each part ÷ the calamine read (wall):
    the costs no change to the import's rules can remove. Their sum with the read itself is
    the least the import can be from the command line; without Django's start, in a worker."""
    files = layout_files(env, out, rows)
    database = database_name(env)
    print(f"{rows} rows, {database}; seconds wall (CPU), and ÷ the calamine read's wall time")
    print(
        "| layout | calamine read | Django's start | safety checks | write of the rows "
        "| read + checks + write | the same + start |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as workdir:
        env = fresh_database(env, Path(workdir))
        for _round in range(rounds):
            for layout, path in files.items():
                parts = run_child(env, "floor", path)
                read = parts["read"]["seconds"]

                def cell(*names: str, parts=parts, read=read) -> str:
                    wall = sum(parts[name]["seconds"] for name in names)
                    cpu = sum(parts[name]["cpu"] for name in names)
                    return f"{wall:.2f} ({cpu:.2f}) {wall / read:.1f}×"

                print(
                    f"| {layout} | {read:.2f} ({parts['read']['cpu']:.2f}) | {cell('start')} "
                    f"| {cell('checks')} | {cell('write')} | {cell('read', 'checks', 'write')} "
                    f"| {cell('read', 'checks', 'write', 'start')} |",
                    flush=True,
                )


def layouts(env: dict, out: Path, rows: int, rounds: int) -> None:
    """For each layout: the calamine read, the openpyxl read-only read and the command into an
    empty registry, each in a fresh process, one after the other (so the three see about the
    same load on a shared machine), `rounds` times; the ratios of each round."""
    base = dict(env)
    files = layout_files(env, out, rows)
    database = database_name(env)
    print(f"{rows} rows, {database}")
    print(
        "| layout | calamine read s (CPU) | openpyxl read s (CPU) | import s (CPU) "
        "| import ÷ calamine (CPU) | import ÷ openpyxl (CPU) | import peak MB | result |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    worst = 0.0
    with tempfile.TemporaryDirectory() as workdir:
        env = fresh_database(env, Path(workdir))
        for _round in range(rounds):
            for layout, path in files.items():
                calamine = run_child(env, "read-calamine", path)
                openpyxl = run_child(env, "read-openpyxl", path)
                run_child(env, "clear")
                command = run_child(env, "command", path)
                ratio = command["seconds"] / calamine["seconds"]
                worst = max(worst, ratio)

                print(
                    f"| {layout} | {_both(calamine)} | {_both(openpyxl)} | {_both(command)} "
                    f"| {_ratios(command, calamine)} | {_ratios(command, openpyxl)} "
                    f"| {command['peak_mb']:.0f} | {command['summary']} |",
                    flush=True,
                )
    print(f"\nlargest import ÷ calamine read: {worst:.2f} (goal ≤ 4, under 1 GB)")
    # As a worker runs the background jobs: Django set up already, the read and the import
    # in one process (issue 18, fifth pass).
    # The import's wall time as well: on PostgreSQL the server's work is not in this
    # process's CPU.
    print(
        "\n| layout | in one process: calamine read CPU s | import CPU s | import ÷ read (CPU) "
        "| import wall s | import wall ÷ read |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as workdir:
        env = fresh_database(base, Path(workdir))
        for _round in range(rounds):
            for layout, path in files.items():
                one = run_child(env, "in-process", path)
                print(
                    f"| {layout} | {one['read_cpu']:.2f} | {one['cpu']:.2f} "
                    f"| {one['cpu'] / max(one['read_cpu'], 0.001):.2f} "
                    f"| {one['seconds']:.2f} | {one['seconds'] / max(one['read_cpu'], 0.001):.2f} |",
                    flush=True,
                )


def pairs(env: dict, big: Path, count: int, database: str) -> None:
    """(a) then (b) into an empty registry, `count` times; the ratio of each pair."""
    with tempfile.TemporaryDirectory() as workdir:
        env = fresh_database(env, Path(workdir))
        print(f"{database}: (a) s, (b) s, (b)/(a), (b) peak MB")
        for _ in range(count):
            a = run_child(env, "read-openpyxl", big)
            run_child(env, "clear")
            b = run_child(env, "command", big)
            ratio = b["seconds"] / a["seconds"]
            print(f"{a['seconds']:.1f}, {b['seconds']:.1f}, {ratio:.2f}, {b['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
