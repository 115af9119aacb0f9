"""Production settings come from the environment only: `check --deploy` with the documented
production environment (deploy/hopluc.env) reports nothing, and refuses the development key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides) -> dict:
    """The environment of deploy/hopluc.env with its CHANGE-ME values filled in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "DEBUG", "SECRET_KEY", "HTTPS"))
    }
    for line in (ROOT / "deploy" / "hopluc.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        HOPLUC_ENV_FILE=str(tmp_path / "none.env"),
        **overrides,
    )
    return env


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_refuses_the_development_key_and_debug(tmp_path):
    env = production_env(tmp_path, DEBUG="True")
    del env["SECRET_KEY"]
    result = check_deploy(env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr and "security.W018" in result.stderr


def test_without_a_secret_key_production_refuses_to_start_and_names_it(tmp_path):
    """DEBUG off and no SECRET_KEY: no start with the development key (and SQLite)."""
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings")
    del env["SECRET_KEY"]

    def start_django() -> subprocess.CompletedProcess:
        command = [sys.executable, "-c", "import django; django.setup()"]
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    result = start_django()
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    # With DEBUG on (local development) the development key is used.
    env["DEBUG"] = "True"
    result = start_django()
    assert result.returncode == 0, result.stderr


def test_cache_url_gives_a_cache_shared_by_separate_processes(tmp_path):
    """CACHE_URL=dbcache://… (docs/deployment.md §11): what one app process caches, another
    process reads — the dashboards of several gunicorn workers share one cache."""
    from config.tests.servers import app_env

    env = app_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", CACHE_URL="dbcache://hopluc_cache")

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    manage("createcachetable")
    manage(
        "shell", "-c", "from django.core.cache import cache; cache.set('tong-quan', 'đã lưu', 60)"
    )
    out = manage(
        "shell", "-c", "from django.core.cache import cache; print(cache.get('tong-quan'))"
    )
    assert out.strip().splitlines()[-1] == "đã lưu"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_statement_in_the_tests_is_stopped_after_two_minutes_on_postgresql():
    # A query the planner gets wrong on a fresh test database fails its test, not CI's clock.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "2min"


def test_gunicorn_workers_restart_one_at_a_time(monkeypatch):
    """Workers started together and served evenly restart one at a time, a fifth of a
    worker's life apart, also the workers that replace them and a batch started by a reload
    (`pre_fork` in deploy/gunicorn.conf.py). With gunicorn's random jitter five workers
    restarted within one second and nobody was served for about 3 s (docs/benchmarks.md,
    "Issue 18 on an idle machine")."""
    import runpy
    from types import SimpleNamespace

    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    limit, workers, per_second = config["max_requests"], 5, 20  # each worker's requests a second
    server = SimpleNamespace(
        num_workers=workers, cfg=SimpleNamespace(max_requests=limit), WORKERS={}
    )
    clock = [0.0]
    # The hook's own clock only (its module's namespace), not the process's `time.monotonic`.
    monkeypatch.setitem(config["pre_fork"].__globals__, "monotonic", lambda: clock[0])

    def fork(pid: int, at: float) -> float:
        """The arbiter forks a worker at `at` seconds; when it will restart."""
        clock[0] = at
        worker = SimpleNamespace(max_requests=limit)
        config["pre_fork"](server, worker)
        server.WORKERS[pid] = worker
        return at + worker.max_requests / per_second

    def run(first_pid: int, start: float, restarts: int) -> list[float]:
        """A batch of workers forked at `start` (a fraction of a second apart, as gunicorn
        forks them), each replaced when it restarts; the restart times."""
        server.WORKERS.clear()
        ends = {
            pid: fork(pid, start + 0.05 * n)
            for n, pid in enumerate(range(first_pid, first_pid + workers))
        }
        times, pid = [], first_pid + workers
        while len(times) < restarts:
            gone = min(ends, key=ends.get)
            times.append(ends.pop(gone))
            del server.WORKERS[gone]
            ends[pid] = fork(pid, times[-1])
            pid += 1
        return times

    for times in (run(1, 0.0, 4 * workers), run(100, 1000.0, 4 * workers)):  # start, reload
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert min(gaps) >= limit / workers / per_second - 1  # seconds, one at a time
        assert times[0] - (times[0] // 1000) * 1000 >= limit / per_second  # a full life first
    assert config["restart_after"](3, workers, 0) == sys.maxsize  # 0: never restart
