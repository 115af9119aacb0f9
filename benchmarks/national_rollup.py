"""Time the national annual review compiled from 34 provinces' finalised reviews (issue 16).

Run from the project folder, on a scratch database (it is migrated and filled):

    .venv/bin/python -m benchmarks.national_rollup                  # SQLite in /tmp
    .venv/bin/python -m benchmarks.national_rollup --reuse          # time the set already there
    DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.national_rollup

The data comes from `manage.py generate_scale_data`, which gives every provincial program a
finalised annual review of the year before its last one (three finalised late) under the
national program. It times, three times each (`--runs N`): compiling the provinces' reports
alone (`compile_rollup`), the whole national snapshot (`build_report_data`, the national
program's own figures and the compiled part), generating a version (`report_generate`: build
and save), the .docx and .xlsx writers, the national program's reports page with its
received list, and the "who has reported" page of the period (`--page-runs` requests, median
and 95th percentile). The targets: generating the national report takes under 5 s; the "who
has reported" page answers within 300 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks import environment  # noqa: E402

environment.setup(
    database=f"sqlite:///{Path(tempfile.gettempdir()) / 'hopluc-rollup-bench.sqlite3'}"
)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from agencies.models import Membership  # noqa: E402
from benchmarks.report_generation import timed  # noqa: E402
from coordination.models import Program  # noqa: E402
from reporting.models import Report  # noqa: E402
from reporting.reports import services  # noqa: E402
from reporting.reports.appendix import write_xlsx  # noqa: E402
from reporting.reports.rollup import compile_rollup  # noqa: E402
from reporting.reports.snapshot import build_report_data  # noqa: E402
from reporting.reports.word import write_docx  # noqa: E402

RUNS = 3


def national_program() -> Program | None:
    return Program.objects.filter(level="central", number__endswith="/SL").first()


def sent_up(national: Program):
    return Report.objects.filter(program__national_program=national, status="finalised")


def prepare(options: argparse.Namespace) -> Program:
    """Migrate, then build the data set, or keep the one there with --reuse."""
    call_command("migrate", verbosity=0)
    national = national_program()
    if options.reuse and national and sent_up(national).exists():
        print("data: reused")
    else:
        print("data: manage.py generate_scale_data")
        call_command("generate_scale_data", scale=options.scale, replace=True)
    return national_program()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reuse", action="store_true", help="time the data set already in the database"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="a smaller set for a quick look")
    parser.add_argument("--runs", type=int, default=RUNS, help="times each step is run")
    parser.add_argument(
        "--page-runs", type=int, default=40, help="requests of the who-has-reported page"
    )
    options = parser.parse_args()
    runs = options.runs
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    national = prepare(options)
    reports = sent_up(national)
    year = reports.values_list("year", flat=True).first()
    print(
        f"finalised provincial reviews of {year}: {reports.filter(year=year).count()} "
        f"(programs under the national one: {national.provincial_programs.count()})"
    )
    user, _ = get_user_model().objects.get_or_create(username="bench.trunguong")
    Membership.objects.get_or_create(
        user=user, agency=national.parties.first(), defaults={"role": "manager"}
    )

    rollup = compile_rollup(national, kind="annual", year=year)
    print(
        f"compiled: {len(rollup['provinces'])} provinces, {rollup['totals']['total']:,} activities, "
        f"{rollup['cooperatives']['total']:,} cooperatives, {len(rollup['indicators'])} indicators, "
        f"late: {', '.join(rollup['late']) or '-'}"
    )
    timed(
        "compile_rollup (provinces' snapshots)",
        lambda: compile_rollup(national, kind="annual", year=year),
        runs,
    )
    timed(
        "build_report_data (national snapshot)",
        lambda: build_report_data(program=national, kind="annual", year=year),
        runs,
    )

    def generate_version():
        Report.objects.filter(program=national, kind="annual", year=year).delete()
        services.report_generate(program=national, kind="annual", year=year, by=user)

    generation = timed("report_generate (build + save version)", generate_version, runs)
    report = Report.objects.get(program=national, kind="annual", year=year)
    timed("write_docx", lambda: write_docx(report), runs)
    timed("write_xlsx", lambda: write_xlsx(report), runs)
    client = Client()
    client.force_login(user)
    url = reverse("reporting:report_program", args=[national.pk])

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    timed("national reports page (received list)", page, runs)
    status_url = reverse("reporting:who_has_reported")
    query = {"program": national.pk, "period": f"annual-{year}"}

    def status_page():
        response = client.get(status_url, query)
        assert response.status_code == 200, response.status_code
        assert 'id="who-has-reported"' in response.content.decode()

    status_page()  # warm: the first request loads templates and translations
    status = sorted(timed("who has reported (national program)", status_page, options.page_runs))
    p95 = status[max(0, math.ceil(0.95 * len(status)) - 1)]
    verdict_page = "under" if p95 < 0.3 else "OVER"
    print(
        f"who has reported: median {statistics.median(status) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms: {verdict_page} the 300 ms target"
    )
    verdict = "under" if statistics.median(generation) < 5 else "OVER"
    print(f"generation median {statistics.median(generation):.2f} s: {verdict} the 5 s target")


if __name__ == "__main__":
    main()
