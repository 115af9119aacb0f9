"""Time the yearly plan page (docs/benchmarks.md, "Yearly plan page").

Builds a program whose plan has N activities (each with a supporting agency, a 1719 project,
a budget source and a progress update) in a throwaway test database, then requests the plan
page as a party's staff and reports queries, response size, wall time and the CPU time of this
process (steadier than wall time on a shared machine).

    .venv/bin/python benchmarks/plan_page.py                 # SQLite, 10 and 200 activities
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/plan_page.py --sizes 10 200 1000
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings (DEBUG off) refuse to start without a key of their own.
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def setup_world():
    """A Đồng Nai program of two party agencies and a staff member of one of them."""
    from agencies.models import Agency, Membership
    from agencies.tests.factories import AgencyFactory, MembershipFactory, UserFactory, province
    from coordination.tests.factories import make_program

    unit = province("75")
    ethnic = AgencyFactory(name="Sở Dân tộc và Tôn giáo tỉnh Đồng Nai", province=unit)
    alliance = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh Đồng Nai",
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
        province=unit,
    )
    staff = MembershipFactory(
        user=UserFactory(username="staff"), agency=ethnic, role=Membership.Role.STAFF
    ).user
    return make_program(parties=[ethnic, alliance], province=unit), ethnic, alliance, staff


def build(world, count: int, year: int):
    """A plan of `count` activities spread over the five task areas, each reported once."""
    from coordination import services
    from coordination.models import NtpProject
    from coordination.tests.factories import make_activity, make_progress

    program, ethnic, alliance, staff = world
    plan = services.plan_create(program=program, year=year)
    projects = list(NtpProject.objects.all())
    for number in range(count):
        activity = make_activity(
            plan,
            lead_agency=ethnic,
            area_number=number % 5 + 1,
            title=f"Hoạt động số {number}",
            supporting_agencies=[alliance],
            ntp_projects=[projects[number % 10]],
            budget_source="local",
        )
        make_progress(activity, author=staff, percent=number % 100)
    return plan


def measure(plan, user, runs: int) -> tuple[int, int, list[float]]:
    client = Client()
    client.force_login(user)
    url = plan.get_absolute_url()
    client.get(url)  # warm-up: templates compiled, session row read
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        response = client.get(url)
    assert response.status_code == 200
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return len(queries), len(response.content), timings, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 200])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    # Not setup_test_environment(): its instrumented template rendering would slow the page.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # As in the tests: no collectstatic manifest needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        print(f"database: {connection.vendor}; {args.runs} requests each")
        world = setup_world()
        for year, size in enumerate(args.sizes, start=2021):
            plan = build(world, size, year)
            count, size_bytes, timings, cpu = measure(plan, world[3], args.runs)
            print(
                f"{size:>5} activities: {count} queries, {size_bytes / 1024:.0f} KB, "
                f"median {statistics.median(timings):.0f} ms, "
                f"p95 {sorted(timings)[int(len(timings) * 0.95) - 1]:.0f} ms, "
                f"Python CPU median {statistics.median(cpu):.0f} ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
