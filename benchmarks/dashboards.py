"""Time the managers' dashboards on the national data set, beside a trivial Django view.

    .venv/bin/python benchmarks/dashboards.py              # SQLite: /tmp/hopluc-bench.sqlite3
    DATABASE_URL=postgres://hopluc:hopluc@127.0.0.1:55432/hopluc .venv/bin/python benchmarks/dashboards.py

The script migrates the database (DATABASE_URL; a scratch SQLite file in /tmp when unset),
builds the national set with `generate_scale_data` when it is not there yet (about 2 minutes),
then sends each page 20 requests through the Django test client (full middleware, session and
login) and prints the median and the 95th percentile; the API's figure endpoint (an indicator's
progress) is measured the same way, through the session.
Each page is measured twice: as deployed (the dashboard cache on, so the first request is cold
and the others are not), and with the cache emptied before every request (every request cold).
The trivial view is a login-protected view returning "ok", measured in the same run.
Options: --requests N, --seed S, --scale X (a smaller set for a quick look).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks import environment  # noqa: E402

DATABASE = f"sqlite:///{Path(tempfile.gettempdir()) / 'hopluc-bench.sqlite3'}"


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
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.urls import reverse

    from agencies.models import Province
    from coordination.models import Indicator, Program

    national = Program.objects.filter(level="central", number__endswith="/SL").first()
    provincial = Program.objects.filter(level="provincial", number__endswith="/SL").first()
    an_giang = Province.objects.current().get(code="91")
    overview = reverse("reporting:overview")
    # The API's figure endpoint (an indicator's target against its phases' achieved values,
    # `reporting.figures.indicator_progress`): it has no cache, so both rows are cold.
    indicator = reverse("api:indicator-progress", args=[national.indicators.first().pk])
    # An indicator of a program An Giang's manager reads (a provincial one first).
    manager = get_user_model().objects.get(username="lanhdao.91")
    readable = Indicator.objects.filter(
        program__in=Program.objects.visible_to(manager).values("pk")
    ).order_by(F("program__province").desc(nulls_last=True), "pk")
    own = reverse("api:indicator-progress", args=[readable.first().pk])
    return [
        ("Tổng quan, toàn quốc, năm nay", "tw.lanhdao", overview),
        ("Tổng quan, toàn quốc, mọi năm", "tw.lanhdao", f"{overview}?year="),
        ("Tổng quan, toàn quốc, lọc tỉnh An Giang", "tw.lanhdao", f"{overview}?province={an_giang.pk}"),
        ("Tổng quan, lãnh đạo tỉnh An Giang", "lanhdao.91", overview),
        ("Chương trình toàn quốc, mọi năm", "tw.lanhdao", reverse("reporting:program", args=[national.pk])),
        ("Chương trình một tỉnh, mọi năm", "tw.lanhdao", reverse("reporting:program", args=[provincial.pk])),
        ("Danh sách hoạt động hoàn thành, năm nay", "tw.lanhdao", f"{reverse('reporting:activities')}?status=done&year={time.localtime().tm_year}"),
        ("API: tiến độ một chỉ số của chương trình toàn quốc", "tw.lanhdao", indicator),
        ("API: tiến độ một chỉ số, lọc tỉnh An Giang", "tw.lanhdao", f"{indicator}?province={an_giang.pk}"),
        ("API: tiến độ một chỉ số, lãnh đạo tỉnh An Giang", "lanhdao.91", own),
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
    # The benchmark measures the API, it does not throttle it.
    with override_settings(ROOT_URLCONF="benchmarks.urls", API_THROTTLE_RATE="100000/hour"):
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
                cache = "không (mỗi lần tính lại)" if cold else "có"
                results.append(timed_row(label, timings, base, cache=cache))
    write_table(results, f"{connection.vendor}, {requests} yêu cầu mỗi trang", out=out)
    return results


def timed_row(page: str, timings: list[float], base: list[float], **labels) -> dict:
    """One page's figures: median, 95th percentile, the trivial view's median and the ratio;
    `labels` are extra text columns shown after the page's name (e.g. cache=…)."""
    row = {
        "page": page,
        **labels,
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "trivial": statistics.median(base),
    }
    row["ratio"] = row["median"] / row["trivial"]
    return row


HEADERS = {"cache": "bộ nhớ đệm"}


def write_table(rows: list[dict], title: str, out=sys.stdout) -> None:
    """The rows of `timed_row` as a Markdown table under `title`."""
    labels = [key for key in rows[0] if key in HEADERS] if rows else []
    out.write(f"\n{title}\n\n")
    out.write(
        "| trang | "
        + "".join(f"{HEADERS[key]} | " for key in labels)
        + "trung vị (ms) | p95 (ms) | view tầm thường (ms) | × |\n"
    )
    out.write("| --- | " + "--- | " * len(labels) + "---: | ---: | ---: | ---: |\n")
    for row in rows:
        out.write(
            f"| {row['page']} | "
            + "".join(f"{row[key]} | " for key in labels)
            + f"{row['median']:.1f} | {row['p95']:.1f} | {row['trivial']:.1f} "
            f"| {row['ratio']:.1f} |\n"
        )


def start(description: str, *, explain: bool = False):
    """Parse the common options (--requests, --seed, --scale; --explain if asked), set
    Django up for the test client and prepare the national set; the options."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0)
    if explain:
        parser.add_argument("--explain", action="store_true")
    options = parser.parse_args()
    environment.setup(database=DATABASE)
    from django.test.utils import setup_test_environment

    setup_test_environment()
    prepare(options.seed, options.scale)
    return options


def main() -> None:
    options = start(__doc__.splitlines()[0])
    run(options.requests)


if __name__ == "__main__":
    main()
