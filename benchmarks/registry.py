"""Time the cooperative registry (/htx/) on the national data set, beside a trivial Django view.

    .venv/bin/python benchmarks/registry.py              # SQLite: /tmp/hopluc-bench.sqlite3
    DATABASE_URL=postgres://hopluc:hopluc@127.0.0.1:55461/hopluc .venv/bin/python benchmarks/registry.py

Like benchmarks/dashboards.py (whose set-up it shares: migrate, build the national set with
`generate_scale_data` when it is not there yet, refresh the planner's statistics), it sends
each page 20 requests through the Django test client (full middleware, session and login) and
prints the median and the 95th percentile. The pages: the list's first page (35,000
cooperatives in Vietnamese name order), a page deep in the list, a search, one province, and
the picker's search (/htx/tim/) the commendation form asks while one types.
`--explain` also prints the database's plan of the first page's query (on PostgreSQL: whether
the index on the name in the `vi` collation serves the sort).
Options: --requests N, --seed S, --scale X (a smaller set for a quick look).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file
from benchmarks.dashboards import measure, start, timed_row, write_table  # noqa: E402


def cases() -> list[tuple[str, str]]:
    """(label, URL) of every page measured, as the central manager."""
    from django.urls import reverse

    from agencies.models import Province

    an_giang = Province.objects.current().get(code="91")
    registry = reverse("cooperatives:list")
    search = reverse("cooperatives:search")
    return [
        ("Danh sách HTX, toàn quốc, trang đầu", registry),
        ("Danh sách HTX, toàn quốc, trang 300", f"{registry}?page=300"),
        ("Danh sách HTX, tìm “nong nghiep”", f"{registry}?q=nong+nghiep"),
        ("Danh sách HTX, tỉnh An Giang", f"{registry}?province={an_giang.pk}"),
        ("Ô chọn HTX: tìm “nong nghiep” (toàn quốc)", f"{search}?q=nong+nghiep"),
        ("Ô chọn HTX: tìm “du lich kien giang” (An Giang)", f"{search}?q=du+lich+kien+giang&province={an_giang.pk}"),
    ]  # fmt: skip


def explain(out=sys.stdout) -> None:
    """The plan of the list's first page: the query the page runs for its rows."""
    from django.db import connection

    from cooperatives.models import Cooperative

    first_page = Cooperative.objects.select_related("province").in_registry_order()[:50]
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    out.write(f"\n{first_page.explain(**options)}\n")


def run(requests: int, out=sys.stdout) -> list[dict]:
    """Measure every case; print and return the rows."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    results = []
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        client = Client()
        client.force_login(get_user_model().objects.get(username="tw.lanhdao"))
        client.get("/trivial/")
        for label, url in cases():
            client.get(url)  # warm the Python side (templates, imports)
            base = measure(client, "/trivial/", requests, cold=False)
            timings = measure(client, url, requests, cold=False)
            results.append(timed_row(label, timings, base))
    write_table(results, f"{connection.vendor}, {requests} yêu cầu mỗi trang", out=out)
    return results


def main() -> None:
    options = start(__doc__.splitlines()[0], explain=True)
    if options.explain:
        explain()
    run(options.requests)


if __name__ == "__main__":
    main()
