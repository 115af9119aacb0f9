"""Load test: 50 concurrent managers for 2 minutes against gunicorn + PostgreSQL on this machine
(docs/benchmarks.md, "Load"). Goal: no errors, 95th percentile under 500 ms.

Needs a PostgreSQL database holding the national data set (`manage.py generate_scale_data`):

    DATABASE_URL=postgres://…@127.0.0.1:…/hopluc .venv/bin/python benchmarks/load.py
    … benchmarks/load.py --users 50 --duration 2m --port 18100 --workers 5

It picks each manager's program, plans and activities from the database, starts gunicorn with
deploy/gunicorn.conf.py on 127.0.0.1 only, runs the locust scenario (benchmarks/locustfile.py)
headless for the given time, samples the machine's load meanwhile, stops gunicorn and prints
the figures. It stops by itself; the progress updates it records stay in the database.

`--smoke` checks that the script works (CI runs it on a tiny SQLite set with 2 users for a few
seconds): any database is accepted, the servers run with DEBUG on (no collectstatic), and it
exits 0 unless a request failed; its figures mean nothing then."""

import argparse
import csv
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks.environment import ROOT, configure  # noqa: E402

configure()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from coordination.management.commands.load_demo import DEMO_PASSWORD  # noqa: E402
from coordination.models import Activity, Program, YearlyPlan  # noqa: E402


def targets(activities_per_user: int = 40) -> dict:
    """Every generated manager with their program, its plans and some activities they may
    report progress on."""
    users = []
    managers = get_user_model().objects.filter(username__regex=r"^(lanhdao\.\d+|tw\.lanhdao)$")
    for user in managers.order_by("username"):
        program = Program.objects.editable_by(user).order_by("-level", "pk").first()
        if program is None:
            continue
        plans = list(YearlyPlan.objects.filter(program=program).values_list("pk", flat=True))
        activities = list(
            Activity.objects.reportable_by(user)
            .filter(plan__program=program)
            .order_by("?")
            .values_list("pk", flat=True)[:activities_per_user]
        )
        if plans and activities:
            users.append(
                {
                    "username": user.username,
                    "program": program.pk,
                    "plans": plans,
                    "activities": activities,
                }
            )
    return {
        "password": DEMO_PASSWORD,
        "today": timezone.localdate().isoformat(),
        "users": users,
    }


def sample_load(samples: list, stop: threading.Event) -> None:
    """The 1-minute load average and the machine's CPU use every 5 s (from /proc)."""

    def cpu():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    before = cpu()
    while not stop.wait(5):
        now = cpu()
        busy = 1 - (now[1] - before[1]) / max(1, now[0] - before[0])
        samples.append((float(Path("/proc/loadavg").read_text().split()[0]), busy))
        before = now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2,
        help="users started per second; the statistics start once all are running",
    )
    parser.add_argument(
        "--cache",
        default="dbcache://hopluc_cache",
        help="CACHE_URL of the servers (default: the database cache that workers share)",
    )
    parser.add_argument("--duration", default="2m")
    parser.add_argument("--port", type=int, default=18100)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--out", default=None, help="folder for locust's CSV files")
    parser.add_argument(
        "--smoke", action="store_true", help="check that the script works: any database, no goal"
    )
    args = parser.parse_args()
    postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if not (postgres or args.smoke):
        raise SystemExit("set DATABASE_URL to the PostgreSQL database of the national data set")

    out = Path(args.out or tempfile.mkdtemp(prefix="hopluc-load-"))
    out.mkdir(parents=True, exist_ok=True)
    plan = targets()
    if not plan["users"]:
        raise SystemExit("no generated managers: run manage.py generate_scale_data first")
    (out / "targets.json").write_text(json.dumps(plan), encoding="utf-8")
    host = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        # A smoke run skips collectstatic (a quarter of a minute): the servers find the files.
        "DEBUG": str(args.smoke),
        "HTTPS": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        "HOPLUC_LOAD_TARGETS": str(out / "targets.json"),
        "CACHE_URL": args.cache,
    }
    if args.cache.startswith("dbcache://"):
        subprocess.run(
            [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True
        )
    if not args.smoke:
        # As in production (docs/deployment.md): WhiteNoise serves the collected, hashed files.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_CMD_ARGS": "--access-logfile /dev/null"},
        stdout=subprocess.DEVNULL,
        stderr=open(out / "gunicorn.log", "w"),
        start_new_session=True,
    )
    samples: list = []
    stop = threading.Event()
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{host}/dang-nhap/", timeout=5)  # noqa: S310 (127.0.0.1)
                break
            except OSError:
                time.sleep(1)
        else:
            raise SystemExit("gunicorn did not answer; see " + str(out / "gunicorn.log"))
        sampler = threading.Thread(target=sample_load, args=(samples, stop), daemon=True)
        sampler.start()
        # The duration counts from the moment every user is running (--reset-stats drops
        # what was measured while they were still logging in one after another).
        ramp = int(args.users / args.spawn_rate) + 1
        run_time = f"{_seconds(args.duration) + ramp}s"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", "benchmarks/locustfile.py", "--headless",
             "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", run_time, "--reset-stats", "--stop-timeout", "10", "--host", host,
             "--csv", str(out / "load"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, timeout=3600,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=60)
    return report(out, samples, elapsed, args, len(plan["users"]))


def _seconds(duration: str) -> int:
    """'2m' → 120, '90s' or '90' → 90."""
    if duration.endswith("m"):
        return int(float(duration[:-1]) * 60)
    return int(float(duration.rstrip("s")))


def report(out: Path, samples: list, elapsed: float, args, users: int) -> int:
    rows = list(csv.DictReader(open(out / "load_stats.csv", encoding="utf-8")))
    print(f"\n{datetime.date.today():%d/%m/%Y}, {args.users} users ({users} distinct managers), "
          f"{elapsed:.0f} s, gunicorn {args.workers} workers, CSV in {out}")  # fmt: skip
    print(f"{'request':48} {'n':>6} {'fail':>5} {'median':>7} {'p95':>6} {'p99':>6} {'max':>6}")
    for row in rows:
        print(
            f"{row['Name'][:48]:48} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{float(row['Median Response Time']):>7.0f} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['Max Response Time']):>6.0f}"
        )
    if samples:
        loads = [s[0] for s in samples]
        cpu = [s[1] for s in samples]
        print(
            f"machine: load average {min(loads):.1f}–{max(loads):.1f} (1 min), CPU busy "
            f"{100 * sum(cpu) / len(cpu):.0f}% on average, {100 * max(cpu):.0f}% at most"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failed = int(total["Failure Count"])
    measured = int(total["Request Count"]) > 0
    ok = failed == 0 and measured and float(total["95%"]) < 500
    print("goal (no errors, p95 < 500 ms):", "met" if ok else "NOT met")
    if args.smoke:
        print(f"smoke run: {total['Request Count']} requests, {failed} failed")
        return 0 if failed == 0 and measured else 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
