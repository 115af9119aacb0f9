"""Time the tổng kết (phase 1, 2021–2025) of the national program on a national-scale data set.

Run from the project folder, on a scratch database (it is migrated and filled):

    .venv/bin/python -m benchmarks.report_generation                 # SQLite in /tmp
    DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.report_generation

The data comes from `manage.py generate_scale_data` when that command exists; otherwise a bulk
generator here builds a comparable set: 34 current provinces, 30,000 cooperatives, the national
program with 2,000 activities a year over 2021–2025 and 35 provincial programs with 100 a year,
one to three progress updates each and three cooperatives per activity. `--reuse` skips the
generation when the database already holds the data.

It times, three times each: building the snapshot (`build_report_data`), generating a version
(`report_generate`: build and save), the .docx and the .xlsx writers, and the report page.
The target: generating the phase summary takes under 5 s.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings (DEBUG off) refuse to start without a key of their own.
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'hopluc-report-bench.sqlite3'}"
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# The page is timed without collectstatic: plain static storage, as in the tests.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from agencies.models import Agency, Membership, Province  # noqa: E402
from cooperatives.models import Cooperative  # noqa: E402
from coordination import services as coordination  # noqa: E402
from coordination.models import Activity, Program, ProgressUpdate, YearlyPlan  # noqa: E402

COOPERATIVES = 30_000
NATIONAL_PER_YEAR = 2_000
PROVINCIAL_PER_YEAR = 100
YEARS = range(2021, 2026)
RUNS = 3
STATUSES = ["done", "in_progress", "delayed", "not_started", "cancelled"]
SECTORS = ["Nông nghiệp", "Dệt thổ cẩm", "Dược liệu", "Thủy sản", "Du lịch cộng đồng", "Lâm nghiệp"]


def national_program() -> Program | None:
    return (
        Program.objects.filter(level="central")
        .annotate(n=Count("plans__activities"))
        .order_by("-n")
        .first()
    )


def generate() -> None:
    """A national-scale data set in bulk (fast, not through the services: it is only data)."""
    rng = random.Random(2026)
    units = list(Province.objects.current().order_by("code"))
    central = Agency.objects.get(name="Bộ Dân tộc và Tôn giáo")
    vca = Agency.objects.get(name="Liên minh Hợp tác xã Việt Nam")
    coops = []
    for i in range(COOPERATIVES):
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
        title="Chương trình phối hợp công tác UBDT – VCA 2021–2030 (dữ liệu đo)",
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
    programs = [(national, NATIONAL_PER_YEAR, central, indicators, areas4)]
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
        programs.append((program, PROVINCIAL_PER_YEAR, ethnic, [], list(program.task_areas.all())))

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


def timed(label: str, action, runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    print(
        f"{label:<42} median {statistics.median(times):6.2f} s   runs {', '.join(f'{t:.2f}' for t in times)}"
    )
    return times


def main() -> None:
    reuse = "--reuse" in sys.argv
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if not (reuse and national_program() and Activity.objects.count() > 10_000):
        if "generate_scale_data" in get_commands():
            print("data: manage.py generate_scale_data")
            call_command("generate_scale_data")
        else:
            print("data: bulk generator of benchmarks/report_generation.py")
            with transaction.atomic():
                generate()
    program = national_program()
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
    from reporting.reports.builder import build_report_data
    from reporting.reports.docx import write_docx
    from reporting.reports.xlsx import write_xlsx

    user, _ = get_user_model().objects.get_or_create(username="bench.trunguong")
    Membership.objects.get_or_create(
        user=user, agency=program.parties.first(), defaults={"role": "manager"}
    )
    timed(
        "build_report_data (snapshot)",
        lambda: build_report_data(program=program, kind="phase", phase=phase),
    )

    def generate_version():
        Report.objects.filter(program=program, phase=phase).delete()
        services.report_generate(program=program, kind="phase", phase=phase, by=user)

    generation = timed("report_generate (build + save version)", generate_version)
    report = Report.objects.get(program=program, phase=phase)
    print(
        f"snapshot: {len(report.data['activities']):,} activities, {len(report.data['cooperatives']['rows']):,} cooperatives"
    )
    timed("write_docx", lambda: write_docx(report))
    timed("write_xlsx", lambda: write_xlsx(report))
    client = Client()
    client.force_login(user)

    def page():
        response = client.get(report.get_absolute_url(), HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code

    timed("report page (HTML)", page)
    verdict = "under" if statistics.median(generation) < 5 else "OVER"
    print(f"generation median {statistics.median(generation):.2f} s: {verdict} the 5 s target")


if __name__ == "__main__":
    main()
