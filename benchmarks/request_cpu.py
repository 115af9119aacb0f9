"""CPU per request of each page in the load test's mix (issue 18, "throughput per core").

    DATABASE_URL=… .venv/bin/python benchmarks/request_cpu.py [--requests 20] [--managers 6]
    … benchmarks/request_cpu.py --profile /tmp/requests.prof      # cProfile of every request

On a machine shared with other work the load test's percentiles mostly measure the others;
the CPU time a request costs the Django process is what decides how many users two cores
serve. Through the Django test client (the full middleware stack, a real session cookie and
the shared database cache, `CACHE_URL`, default `dbcache://hopluc_cache` as deployed), each
of the first `--managers` generated managers (`benchmarks/load.py`'s targets) requests every
page of the load mix (`benchmarks/locustfile.py`) `--requests` times in turn, after one
warm-up round; the table gives the median and mean CPU milliseconds (process time, so the
database server's own work is left out on PostgreSQL; on SQLite it is in) and the queries.
Needs the national data set (`manage.py generate_scale_data`); the progress updates it
records stay in the database, as the load test's do.
"""

import argparse
import cProfile
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks import environment  # noqa: E402

PAGES = [
    "/bao-cao/ (tổng quan)",
    "/bao-cao/chuong-trinh/<id>/",
    "/bao-cao/hoat-dong/?program=",
    "/ke-hoach/<id>/",
    "/ke-hoach/<id>/?noi_dung= (htmx)",
    "/hoat-dong/<id>/",
    "/hoat-dong/<id>/tien-do/ (GET)",
    "/hoat-dong/<id>/tien-do/ (POST)",
]


def requests_of(me: dict, today: str, rng: random.Random) -> list[tuple[str, str, dict]]:
    """(page, URL, extra) of one round of the load mix for manager `me`."""
    plan = f"/ke-hoach/{rng.choice(me['plans'])}/"
    activity = f"/hoat-dong/{rng.choice(me['activities'])}/"
    return [
        (PAGES[0], "/bao-cao/", {}),
        (PAGES[1], f"/bao-cao/chuong-trinh/{me['program']}/", {}),
        (PAGES[2], f"/bao-cao/hoat-dong/?program={me['program']}", {}),
        (PAGES[3], plan, {}),
        (PAGES[4], plan, {"area": True}),
        (PAGES[5], activity, {}),
        (PAGES[6], f"{activity}tien-do/", {}),
        (PAGES[7], f"{activity}tien-do/", {"post": today}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20, help="rounds of the mix")
    parser.add_argument("--managers", type=int, default=6)
    parser.add_argument("--profile", type=Path, help="write a cProfile of every timed request")
    args = parser.parse_args()
    os.environ.setdefault("CACHE_URL", "dbcache://hopluc_cache")
    environment.setup()
    import re

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.load import targets

    if os.environ["CACHE_URL"].startswith("dbcache://"):
        call_command("createcachetable", verbosity=0)
    plan = targets(activities_per_user=10)
    managers = plan["users"][: args.managers]
    if not managers:
        raise SystemExit("no generated managers: run manage.py generate_scale_data first")
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    area_link = re.compile(r'href="\?noi_dung=(\d+)#')
    clients = []
    for me in managers:
        client = Client()
        login = client.get("/dang-nhap/")
        token = csrf.search(login.content.decode()).group(1)
        response = client.post(
            "/dang-nhap/",
            {
                "username": me["username"],
                "password": plan["password"],
                "csrfmiddlewaretoken": token,
            },
        )
        assert response.status_code == 302, (me["username"], response.status_code)
        clients.append((me, client))

    def send(client, url: str, extra: dict):
        if "post" in extra:
            form = client.get(url).content.decode()
            data = {
                "csrfmiddlewaretoken": csrf.search(form).group(1),
                "reported_on": extra["post"],
                "status": "in_progress",
                "percent": "50",
                "actual_value": "",
                "budget_spent": "1.000.000",
                "note": "Đo CPU mỗi yêu cầu: cập nhật tiến độ",
            }
            started = time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.post(url, data)
            spent = time.process_time() - started
            assert response.status_code == 302, (url, response.status_code)
            return spent, len(queries)
        if extra.get("area"):
            areas = area_link.findall(client.get(url).content.decode())
            if not areas:
                return None
            url = f"{url}?noi_dung={areas[0]}"
            headers = {"HX-Request": "true", "HX-Target": f"area-{areas[0]}"}
        else:
            headers = {}
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
        spent = time.process_time() - started
        assert response.status_code == 200, (url, response.status_code)
        return spent, len(queries)

    rng = random.Random(2026)
    for me, client in clients:  # warm-up: templates, caches, the first dashboards
        for _page, url, extra in requests_of(me, plan["today"], rng):
            send(client, url, extra)
    profile = cProfile.Profile(time.process_time) if args.profile else None
    cpu: dict[str, list[float]] = {page: [] for page in PAGES}
    queries: dict[str, list[int]] = {page: [] for page in PAGES}
    for round_number in range(args.requests):
        me, client = clients[round_number % len(clients)]
        for page, url, extra in requests_of(me, plan["today"], rng):
            if profile:
                profile.enable()
            measured = send(client, url, extra)
            if profile:
                profile.disable()
            if measured:
                cpu[page].append(measured[0] * 1000)
                queries[page].append(measured[1])
    if profile:
        profile.dump_stats(args.profile)
    engine = connection.vendor
    print(f"\n{engine}, {args.requests} rounds, {len(clients)} managers")
    print("| request | n | CPU median (ms) | CPU mean (ms) | queries (median) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    everything = []
    for page in PAGES:
        if not cpu[page]:
            continue
        everything.extend(cpu[page])
        print(
            f"| {page} | {len(cpu[page])} | {statistics.median(cpu[page]):.1f} "
            f"| {statistics.mean(cpu[page]):.1f} | {statistics.median(queries[page]):.0f} |"
        )
    print(f"| **all** | {len(everything)} | | **{statistics.mean(everything):.1f}** | |")


if __name__ == "__main__":
    main()
