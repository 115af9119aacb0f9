"""Every benchmark script runs as its docstring says, from the command line, at a tiny scale.

Each runs in its own process as on a clean checkout (no .env, no HTTPS or DEBUG setting: the
scripts set up their own environment) on a scratch SQLite file, and must exit 0 and print its
result line; the figures are not looked at. The tiny national set (generate_scale_data
--scale 0.002: 35 programs, some 120 activities) is built once and copied for each script."""

import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.environment import ROOT
from config.tests.servers import free_port

SCALE = "0.002"


def bench_env(database: Path) -> dict:
    """The environment of a fresh shell on a clean checkout, with a scratch database."""
    inherited = ("DJANGO_", "DATABASE_URL", "HTTPS", "DEBUG", "PYTEST", "STATIC_ROOT", "CACHE_URL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(inherited)}
    env.update(
        DATABASE_URL=f"sqlite:///{database}", HOPLUC_ENV_FILE="/nonexistent", LOG_LEVEL="WARNING"
    )
    return env


def run(*args: str, env: dict) -> str:
    """Run `python ARGS` in the project folder; its output, once it has exited 0."""
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, (
        f"{args} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


@pytest.fixture(scope="session")
def national_set(tmp_path_factory) -> Path:
    """A migrated SQLite file holding the tiny national set, built once per run: the xdist
    workers share it (the first builds it while the others wait on the lock)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    path = shared / "bench-national.sqlite3"
    with open(shared / "bench-national.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = shared / "bench-national.building.sqlite3"
            building.unlink(missing_ok=True)  # left by a run that failed
            env = bench_env(building)
            run("manage.py", "migrate", "--noinput", "-v0", env=env)
            run("manage.py", "generate_scale_data", "--scale", SCALE, env=env)
            building.rename(path)
    return path


@pytest.fixture
def env(national_set, tmp_path) -> dict:
    """A copy of the national set for one script (SQLite's backup reads through its WAL)."""
    copy = tmp_path / "bench.sqlite3"
    with sqlite3.connect(national_set) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return bench_env(copy)


def test_dashboards(env):
    out = run("benchmarks/dashboards.py", "--requests", "2", env=env)
    assert "sqlite, 2 yêu cầu mỗi trang" in out
    assert "| Tổng quan, toàn quốc, năm nay | có |" in out


def test_registry(env):
    out = run("benchmarks/registry.py", "--requests", "2", "--explain", env=env)
    assert "sqlite, 2 yêu cầu mỗi trang" in out
    assert "| Danh sách HTX, toàn quốc, trang đầu |" in out


def test_plan_page(tmp_path):
    # It builds its plans in a throwaway test database of its own.
    out = run(
        "benchmarks/plan_page.py", "--sizes", "2", "--runs", "2", env=bench_env(tmp_path / "x")
    )
    assert "    2 activities: " in out and "Python CPU median" in out


def test_report_generation_builds_the_set_again_or_reuses_it(env):
    out = run("-m", "benchmarks.report_generation", "--scale", SCALE, "--runs", "1", env=env)
    assert "data: manage.py generate_scale_data" in out, "a set already there is built again"
    assert "the 5 s target" in out
    out = run("benchmarks/report_generation.py", "--reuse", "--runs", "1", env=env)
    assert "data: reused" in out
    assert "report page (HTML)" in out and "the 5 s target" in out


def test_cooperative_import(env, tmp_path):
    out = run(
        "benchmarks/cooperative_import.py", "--rows", "30", "--compare-rows", "10",
        "--out", str(tmp_path / "files"), env=env,
    )  # fmt: skip
    assert "| (b) import_cooperatives, new rows |" in out and "new=30 " in out
    assert "(b) / (a) = " in out


def test_commune_import(env, tmp_path):
    out = run(
        "benchmarks/commune_import.py", "--rows", "40", "--communes", "20", "--rounds", "1",
        "--out", str(tmp_path / "files"), env=env,
    )  # fmt: skip
    assert "| with the commune columns |" in out and "with / without = " in out
    assert "placing communes" in out


def test_cooperative_import_layouts(env, tmp_path):
    out = run(
        "benchmarks/cooperative_import.py", "--layouts", "--rows", "20",
        "--out", str(tmp_path / "files"), env=env,
    )  # fmt: skip
    assert "| few | " in out and "| many | " in out and "new=20 " in out
    assert "largest import ÷ calamine read: " in out
    assert "| in one process: calamine read CPU s |" in out
    out = run(
        "benchmarks/cooperative_import.py", "--floor", "--rows", "20",
        "--out", str(tmp_path / "files"), env=env,
    )  # fmt: skip
    assert "| few | " in out and "| many | " in out and "| read + checks + write |" in out


def test_request_cpu(env):
    out = run("benchmarks/request_cpu.py", "--requests", "1", "--managers", "1", env=env)
    assert "| /bao-cao/ (tổng quan) | 1 |" in out and "| **all** |" in out


def test_load_with_two_users_for_a_few_seconds(env, tmp_path):
    out = run(
        "benchmarks/load.py", "--smoke", "--users", "2", "--duration", "4s", "--workers", "1",
        "--cache", "locmemcache://", "--port", str(free_port()), "--out", str(tmp_path / "load"),
        env=env,
    )  # fmt: skip
    assert "goal (no errors, p95 < 500 ms):" in out
    assert "smoke run: " in out and ", 0 failed" in out


def test_api(env):
    out = run("benchmarks/api.py", "--requests", "2", env=env)
    assert "| toàn quốc, trang 1 |" in out and "mục tiêu 300 ms" in out


def test_national_rollup_reuses_the_provinces_finalised_reviews(env):
    out = run(
        "benchmarks/national_rollup.py", "--reuse", "--runs", "1", "--page-runs", "2", env=env
    )
    assert "data: reused" in out and "finalised provincial reviews of 2025: 34" in out
    assert "national reports page (received list)" in out and "the 5 s target" in out
    assert "who has reported: median" in out and "the 300 ms target" in out
