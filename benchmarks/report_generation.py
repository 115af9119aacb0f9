"""Time the tổng kết (phase 1, 2021–2025) of the national program on a national-scale data set.

Run from the project folder, on a scratch database (it is migrated and filled):

    .venv/bin/python -m benchmarks.report_generation                 # SQLite in /tmp
    .venv/bin/python -m benchmarks.report_generation --reuse         # time the set already there
    DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.report_generation

The data comes from `manage.py generate_scale_data` (built again from scratch on every run,
about 2 minutes; `--reuse` keeps the set the database already holds, `--scale X` builds a
smaller one). `--bulk` uses instead the heavier set of a bulk generator here: 34 current
provinces, 30,000 cooperatives, the national program with 2,000 activities a year over
2021–2025 and 35 provincial programs with 100 a year, one to three progress updates each and
three cooperatives per activity (it needs an empty database, or `--reuse`).

It times, three times each (`--runs N`): building the snapshot (`build_report_data`),
generating a version (`report_generate`: build and save), the .docx and the .xlsx writers, and
the report page. The target: generating the phase summary takes under 5 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks import environment  # noqa: E402

environment.setup(
    database=f"sqlite:///{Path(tempfile.gettempdir()) / 'hopluc-report-bench.sqlite3'}"
)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from agencies.models import Agency, Membership, Province  # noqa: E402
from cooperatives.models import Cooperative  # noqa: E402
from coordination import services as coordination  # noqa: E402
from coordination.models import Activity, Program, ProgressUpdate, YearlyPlan  # noqa: E402

# Sizes of the bulk set (`--bulk`), multiplied by --scale.
COOPERATIVES = 30_000
NATIONAL_PER_YEAR = 2_000
PROVINCIAL_PER_YEAR = 100
YEARS = range(2021, 2026)
RUNS = 3
STATUSES = ["done", "in_progress", "delayed", "not_started", "cancelled"]
SECTORS = ["Nông nghiệp", "Dệt thổ cẩm", "Dược liệu", "Thủy sản", "Du lịch cộng đồng", "Lâm nghiệp"]


BULK_TITLE = "Chương trình phối hợp công tác UBDT – VCA 2021–2030 (dữ liệu đo)"


def national_program(*, bulk: bool) -> Program | None:
    """The national program of generate_scale_data's set (numbers marked "/SL") or of the
    bulk set."""
    national = Program.objects.filter(level="central")
    if bulk:
        return national.filter(title=BULK_TITLE).first()
    return national.filter(number__endswith="/SL").first()


def generate(scale: float = 1.0) -> None:
    """A national-scale data set in bulk (fast, not through the services: it is only data)."""
    rng = random.Random(2026)
    units = list(Province.objects.current().order_by("code"))
    central = Agency.objects.get(name="Bộ Dân tộc và Tôn giáo")
    vca = Agency.objects.get(name="Liên minh Hợp tác xã Việt Nam")
    national_per_year = max(1, round(NATIONAL_PER_YEAR * scale))
    provincial_per_year = max(1, round(PROVINCIAL_PER_YEAR * scale))
    coops = []
    for i in range(max(3, round(COOPERATIVES * scale))):
        coop = Cooperative(
            registration_code=f"{4000000000 + i:010d}",
            name=f"HTX Nông nghiệp Bản Mường {i}",
            province=units[i % len(units)],
            sector=rng.choice(SECTORS),
            members=rng.randint(7, 200),
            ethnic_minority_members=rng.randint(0, 7),
            ocop_stars=rng.choice([None, None, 3, 4, 5]),
        )
        coop.fill_search_key()
        coops.append(coop)
    Cooperative.objects.bulk_create(coops, batch_size=2000)
    coop_ids = list(Cooperative.objects.values_list("pk", flat=True))

    national = coordination.program_create(
        title=BULK_TITLE,
        kind="coordination",
        level="central",
        parties=[central, vca],
        start_year=2021,
        end_year=2030,
        phases=[(2021, 2025), (2026, 2030)],
    )
    phase1 = national.phases.get(number=1)
    areas4 = list(national.task_areas.filter(number__lte=4))
    indicators = [
        coordination.indicator_create(
            program=national,
            code=f"CT{n}",
            name=f"Chỉ tiêu {n}",
            unit="HTX",
            aggregation=agg,
            task_area=areas4[3],
            targets={phase1: "≥ 100"},
        )
        for n, agg in ((1, "sum"), (2, "latest"), (3, "max"))
    ]
    programs = [(national, national_per_year, central, indicators, areas4)]
    for unit in units:
        ethnic = Agency.objects.create(
            name=f"Sở Dân tộc và Tôn giáo {unit.full_name} (đo)",
            kind="ethnic_affairs",
            level="provincial",
            province=unit,
        )
        alliance = Agency.objects.create(
            name=f"Liên minh HTX {unit.full_name} (đo)",
            kind="coop_alliance",
            level="provincial",
            province=unit,
        )
        program = coordination.program_create(
            title=f"Chương trình phối hợp {unit.full_name} (đo)",
            kind="coordination",
            level="provincial",
            province=unit,
            parties=[ethnic, alliance],
            start_year=2021,
            end_year=2030,
            phases=[(2021, 2025), (2026, 2030)],
        )
        programs.append((program, provincial_per_year, ethnic, [], list(program.task_areas.all())))

    for program, per_year, lead, program_indicators, areas in programs:
        for year in YEARS:
            plan = YearlyPlan.objects.create(program=program, year=year, status="approved")
            activities = []
            for i in range(per_year):
                start = date(year, 1, 1) + timedelta(days=rng.randint(0, 200))
                indicator = (
                    rng.choice(program_indicators) if program_indicators and i % 4 == 0 else None
                )
                activities.append(
                    Activity(
                        plan=plan,
                        task_area=areas[i % len(areas)],
                        title=f"Hoạt động {year}-{i} hỗ trợ HTX vùng đồng bào DTTS và miền núi",
                        lead_agency=lead,
                        start_date=start,
                        end_date=min(
                            start + timedelta(days=rng.randint(10, 150)), date(year, 12, 31)
                        ),
                        planned_budget=rng.randint(5, 500) * 1_000_000,
                        indicator=indicator,
                        target_value=rng.randint(1, 10) if indicator else None,
                    )
                )
            Activity.objects.bulk_create(activities, batch_size=2000)
            saved = list(
                Activity.objects.filter(plan=plan).values_list(
                    "pk", "planned_budget", "indicator_id", "end_date"
                )
            )
            updates, links = [], []
            for pk, planned, indicator_id, end in saved:
                for n in range(rng.randint(1, 3)):
                    status = rng.choice(STATUSES)
                    updates.append(
                        ProgressUpdate(
                            activity_id=pk,
                            reported_on=end - timedelta(days=30 * (2 - n)),
                            status=status,
                            percent=100 if status == "done" else rng.randint(0, 90),
                            actual_value=rng.randint(0, 5) if indicator_id else None,
                            budget_spent=int(planned * rng.random()),
                            note=rng.choice(["", "", "Chậm do thiếu kinh phí đối ứng"]),
                        )
                    )
                links += [
                    Activity.cooperatives.through(activity_id=pk, cooperative_id=c)
                    for c in rng.sample(coop_ids, 3)
                ]
            ProgressUpdate.objects.bulk_create(updates, batch_size=2000)
            Activity.cooperatives.through.objects.bulk_create(
                links, batch_size=2000, ignore_conflicts=True
            )


def timed(label: str, action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    print(
        f"{label:<42} median {statistics.median(times):6.2f} s   runs {', '.join(f'{t:.2f}' for t in times)}"
    )
    return times


def prepare(options: argparse.Namespace) -> Program:
    """Migrate, then build the data set, or keep the one there with --reuse."""
    call_command("migrate", verbosity=0)
    if options.reuse and national_program(bulk=options.bulk):
        print("data: reused")
    elif options.bulk:
        if national_program(bulk=True):
            raise SystemExit("the bulk set is already in this database: add --reuse to time it")
        print("data: bulk generator of benchmarks/report_generation.py")
        with transaction.atomic():
            generate(options.scale)
    else:
        print("data: manage.py generate_scale_data")
        call_command("generate_scale_data", scale=options.scale, replace=True)
    return national_program(bulk=options.bulk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reuse", action="store_true", help="time the data set already in the database"
    )
    parser.add_argument(
        "--bulk", action="store_true", help="the heavier set of this script's bulk generator"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="a smaller set for a quick look")
    parser.add_argument("--runs", type=int, default=RUNS, help="times each step is run")
    options = parser.parse_args()
    runs = options.runs
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    program = prepare(options)
    phase = program.phases.get(number=1)
    print(
        f"rows: {Activity.objects.count():,} activities, {ProgressUpdate.objects.count():,} updates, "
        f"{Cooperative.objects.count():,} cooperatives; national program: "
        f"{Activity.objects.filter(plan__program=program, plan__year__in=phase.years).count():,} "
        f"activities in phase 1"
    )

    from django.contrib.auth import get_user_model

    from reporting.models import Report
    from reporting.reports import services
    from reporting.reports.appendix import write_xlsx
    from reporting.reports.snapshot import build_report_data
    from reporting.reports.word import write_docx

    user, _ = get_user_model().objects.get_or_create(username="bench.trunguong")
    Membership.objects.get_or_create(
        user=user, agency=program.parties.first(), defaults={"role": "manager"}
    )
    timed(
        "build_report_data (snapshot)",
        lambda: build_report_data(program=program, kind="phase", phase=phase),
        runs,
    )

    def generate_version():
        Report.objects.filter(program=program, phase=phase).delete()
        services.report_generate(program=program, kind="phase", phase=phase, by=user)

    generation = timed("report_generate (build + save version)", generate_version, runs)
    report = Report.objects.get(program=program, phase=phase)
    print(
        f"snapshot: {len(report.data['activities']):,} activities, {len(report.data['cooperatives']['rows']):,} cooperatives"
    )
    timed("write_docx", lambda: write_docx(report), runs)
    timed("write_xlsx", lambda: write_xlsx(report), runs)
    client = Client()
    client.force_login(user)

    def page():
        response = client.get(report.get_absolute_url())
        assert response.status_code == 200, response.status_code

    timed("report page (HTML)", page, runs)
    verdict = "under" if statistics.median(generation) < 5 else "OVER"
    print(f"generation median {statistics.median(generation):.2f} s: {verdict} the 5 s target")


if __name__ == "__main__":
    main()
