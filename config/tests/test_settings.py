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
