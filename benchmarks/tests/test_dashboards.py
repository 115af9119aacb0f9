"""Keeps the benchmark script working: one small run through every measured page."""

import io

import pytest
from django.core.management import call_command

from benchmarks import dashboards


@pytest.mark.django_db
def test_benchmark_runs_every_case_on_a_small_set():
    call_command("generate_scale_data", scale=0.002, seed=3, stdout=io.StringIO())
    out = io.StringIO()
    rows = dashboards.run(2, out=out)
    assert len(rows) == 2 * len(dashboards.cases())
    assert all(row["p95"] >= row["median"] > 0 for row in rows)
    assert "| Tổng quan, toàn quốc, năm nay |" in out.getvalue()
    assert "| API: tiến độ một chỉ số của chương trình toàn quốc |" in out.getvalue()


def test_percentile_interpolates_like_numpy():
    assert dashboards.percentile(list(range(1, 21)), 0.95) == pytest.approx(19.05)
    assert dashboards.percentile([5.0], 0.95) == 5.0
