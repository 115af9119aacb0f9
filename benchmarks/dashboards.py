"""Time the managers' dashboards on the national data set, beside a trivial Django view.

    DATABASE_URL=sqlite:////tmp/hopluc-bench.sqlite3 .venv/bin/python benchmarks/dashboards.py
    DATABASE_URL=postgres://hopluc:hopluc@127.0.0.1:55432/hopluc .venv/bin/python benchmarks/dashboards.py

The script migrates the database, builds the national set with `generate_scale_data` when it is
not there yet (about 2 minutes), then sends each page 20 requests through the Django test
client (full middleware, session and login) and prints the median and the 95th percentile.
Each page is measured twice: as deployed (the dashboard cache on, so the first request is cold
and the others are not), and with the cache emptied before every request (every request cold).
The trivial view is a login-protected view returning "ok", measured in the same run.
Options: --requests N, --seed S, --scale X (a smaller set for a quick look).
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
# The test client speaks plain HTTP: without this, production settings answer 301 to https.
os.environ.setdefault("HTTPS", "False")


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(client, url: str, requests: int, *, cold: bool) -> list[float]:
    from django.core.cache import cache

    timings = []
    cache.clear()
    for _ in range(requests):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def cases() -> list[tuple[str, str, str]]:
    """(label, username, URL) of every page measured."""
    from django.urls import reverse

    from agencies.models import Province
    from coordination.models import Program

    national = Program.objects.filter(level="central", number__endswith="/SL").first()
    provincial = Program.objects.filter(level="provincial", number__endswith="/SL").first()
    an_giang = Province.objects.current().get(code="91")
    overview = reverse("reporting:overview")
    return [
        ("Tổng quan, toàn quốc, năm nay", "tw.lanhdao", overview),
        ("Tổng quan, toàn quốc, mọi năm", "tw.lanhdao", f"{overview}?year="),
        ("Tổng quan, toàn quốc, lọc tỉnh An Giang", "tw.lanhdao", f"{overview}?province={an_giang.pk}"),
        ("Tổng quan, lãnh đạo tỉnh An Giang", "lanhdao.91", overview),
        ("Chương trình toàn quốc, mọi năm", "tw.lanhdao", reverse("reporting:program", args=[national.pk])),
        ("Chương trình một tỉnh, mọi năm", "tw.lanhdao", reverse("reporting:program", args=[provincial.pk])),
        ("Danh sách hoạt động hoàn thành, năm nay", "tw.lanhdao", f"{reverse('reporting:activities')}?status=done&year={time.localtime().tm_year}"),
    ]  # fmt: skip


def prepare(seed: int, scale: float, out=sys.stdout) -> None:
    """Migrate, build the national set unless it is there, refresh the planner's statistics."""
    from django.core.management import call_command
    from django.db import connection

    from coordination.models import Program

    call_command("migrate", verbosity=0)
    if not Program.objects.filter(number__endswith="/SL").exists():
        out.write("Sinh bộ dữ liệu toàn quốc…\n")
        call_command("generate_scale_data", seed=seed, scale=scale, stdout=out)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def run(requests: int, out=sys.stdout) -> list[dict]:
    """Measure every case; print and return the rows."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    results = []
    with override_settings(
        ROOT_URLCONF="benchmarks.urls",
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        clients = {}
        for username in ("tw.lanhdao", "lanhdao.91"):
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        trivial = clients["tw.lanhdao"]
        trivial.get("/trivial/")
        for label, username, url in cases():
            client = clients[username]
            client.get(url)  # warm the Python side (templates, imports), not the cache
            for cold in (False, True):
                base = measure(trivial, "/trivial/", requests, cold=False)
                timings = measure(client, url, requests, cold=cold)
                row = {
                    "page": label,
                    "cache": "không (mỗi lần tính lại)" if cold else "có",
                    "median": statistics.median(timings),
                    "p95": percentile(timings, 0.95),
                    "trivial": statistics.median(base),
                }
                row["ratio"] = row["median"] / row["trivial"]
                results.append(row)
    out.write(f"\n{connection.vendor}, {requests} yêu cầu mỗi trang\n\n")
    out.write("| trang | bộ nhớ đệm | trung vị (ms) | p95 (ms) | view tầm thường (ms) | × |\n")
    out.write("| --- | --- | ---: | ---: | ---: | ---: |\n")
    for row in results:
        out.write(
            f"| {row['page']} | {row['cache']} | {row['median']:.1f} | {row['p95']:.1f} "
            f"| {row['trivial']:.1f} | {row['ratio']:.1f} |\n"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0)
    options = parser.parse_args()
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    prepare(options.seed, options.scale)
    run(options.requests)


if __name__ == "__main__":
    main()
