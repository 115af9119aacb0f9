"""Deployment and fault tests on real PostgreSQL servers, gunicorn and the job worker.

They run in .ci/run's PostgreSQL pass (DATABASE_URL=postgres://…) and are skipped on SQLite:
they need a PostgreSQL server (pg_dump, two app servers on one database, a server the test can
stop and start)."""

import http.cookiejar
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command
from django.db import connection

from coordination.tasks import export_programs
from core import jobs
from core.models import Job

from .servers import (
    PG_BIN,
    ROOT,
    ThrowawayPostgres,
    app_env,
    database_url,
    free_port,
    gunicorn,
    manage,
    process,
)

# Skip marks, not a skipping fixture: marks are read before any fixture is set up, so on
# SQLite neither the session's collectstatic (`static_root`) nor the database is prepared.
pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (pg_dump, several app servers, a server the test stops): "
        "runs in .ci/run's PostgreSQL pass with DATABASE_URL=postgres://…",
    ),
    pytest.mark.skipif(
        PG_BIN is None,
        reason="PostgreSQL server binaries not installed (Debian package postgresql)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Phoi-hop-2026-Dong-Nai"
FRIENDLY_500 = "Hệ thống đang gặp sự cố"
FRIENDLY = {200: "Quản trị", 400: "Chưa xử lý được yêu cầu", 500: FRIENDLY_500}


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once, as a deployment does, for the app servers run with DEBUG off."""
    folder = tmp_path_factory.mktemp("static")
    manage("collectstatic", "--noinput", env=app_env("sqlite:///unused", STATIC_ROOT=str(folder)))
    return folder


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects (one per user)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))  # noqa: S310 - loopback test servers

    def post(self, url: str, data: dict) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        return self._open(request)

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def login(self, base: str, username: str) -> None:
        self.get(f"{base}/dang-nhap/")
        status, _ = self.post(f"{base}/dang-nhap/", {"username": username, "password": PASSWORD})
        assert status == 302, "login failed"

    @property
    def session(self) -> str:
        return next(c.value for c in self.jar if c.name == "sessionid")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def real_password(settings, user) -> None:
    """The app servers use the production hashers, not the tests' fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user.set_password(PASSWORD)
    user.save()


def test_two_app_servers_on_one_database_serve_the_same_session(world, settings, static_root):
    real_password(settings, world.staff)
    env = app_env(database_url(), STATIC_ROOT=str(static_root))
    port_a, port_b = free_port(), None
    with gunicorn(port_a, env) as server_a:
        port_b = free_port()
        with gunicorn(port_b, env) as server_b:
            assert server_a.pid != server_b.pid
            a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
            user = Browser()
            user.login(a, "staff")
            for base in (b, a, b):  # every request may land on either server
                status, page = user.get(f"{base}/")
                assert status == 200 and world.program.title in page
            # Logging out on one server ends the session on the other.
            session = user.session
            user.get(f"{b}/")
            assert user.post(f"{b}/dang-xuat/", {})[0] == 302
            stale = Browser()
            stale.jar.set_cookie(cookie("sessionid", session))
            status, _ = stale.get(f"{a}/")
            assert status == 302


def cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False,
        None, None, {},
    )  # fmt: skip


def test_the_database_going_away_gives_a_friendly_page_and_the_app_recovers(static_root):
    """A throwaway PostgreSQL the test controls: connections are killed in the middle of
    requests, then the server is stopped and started again, under a running gunicorn."""
    pg = ThrowawayPostgres()
    try:
        pg.start()
        pg.sql("CREATE DATABASE hopluc")
        env = app_env(pg.url(), STATIC_ROOT=str(static_root), CONN_MAX_AGE="600")
        manage("migrate", "--noinput", env=env)
        manage(
            "createsuperuser", "--noinput", "--username", "quantri", "--email", "qt@example.vn",
            env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        )  # fmt: skip
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with gunicorn(port, env, workers=1):
            user = Browser()
            user.login(base, "quantri")
            assert user.get(f"{base}/")[0] == 200

            # 1. Connections killed between requests: the next request reconnects.
            kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'hopluc' AND pid <> pg_backend_pid()"
            pg.sql(kill)
            assert user.get(f"{base}/")[0] == 200

            # 2. Connections killed while requests run.
            stop = threading.Event()

            def killer():
                while not stop.is_set():
                    pg.sql(kill)
                    time.sleep(0.01)

            thread = threading.Thread(target=killer)
            thread.start()
            try:
                answers = [user.get(f"{base}/quan-tri/") for _ in range(40)]
            finally:
                stop.set()
                thread.join()
            assert any(status != 200 for status, _ in answers), "no request was hit: retry"
            for status, page in answers:
                assert "Traceback" not in page and "OperationalError" not in page
                # 400: the session could not be saved at the end of the request.
                assert status in FRIENDLY, (status, page[:500])
                assert FRIENDLY[status] in page

            # 3. The server is gone: a friendly page, no traceback.
            pg.stop("immediate")
            status, page = user.get(f"{base}/")
            assert status == 500
            assert FRIENDLY_500 in page and "Traceback" not in page and "psycopg" not in page

            # 4. It is back: the same gunicorn serves again, the session still valid.
            pg.start()
            status, page = user.get(f"{base}/")
            assert status == 200 and "quantri" in page
    finally:
        pg.remove()


def test_the_worker_process_runs_a_job_started_by_the_app(world):
    """`manage.py db_worker` as `make run` and the systemd unit start it, on PostgreSQL."""
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
               "--no-startup-delay"]  # fmt: skip
    job = jobs.start(export_programs, owner=world.staff, title="Xuất", user_id=world.staff.pk)
    with process(command, app_env(database_url())):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.2)
    assert job.status == Job.Status.SUCCEEDED, job.error or "the worker did not finish the job"
    assert job.summary == {"programs": 1, "activities": 1}
    assert job.result_file.name.endswith(".xlsx")


def table_fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table: md5 over all rows as text, in a fixed order."""
    psql = ["psql", "-d", url, "-tAX", "-v", "ON_ERROR_STOP=1"]
    tables = subprocess.run(
        [*psql, "-c", "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    # Table names come from pg_tables, not from input.
    template = (
        "SELECT '{t}', count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"
        ' FROM "{t}" r'
    )
    query = " UNION ALL ".join(template.format(t=t) for t in tables)
    rows = subprocess.run(
        [*psql, "-F", "\t", "-c", query], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    return {name: (int(count), digest) for name, count, digest in (r.split("\t") for r in rows)}


def test_a_backup_restores_to_an_identical_data_set(world, tmp_path):
    call_command("load_demo", verbosity=0)
    source = database_url()
    env = app_env(source)
    dump = subprocess.run(
        ["sh", "deploy/backup.sh", str(tmp_path)], cwd=ROOT, env=env,
        check=True, capture_output=True, text=True,
    ).stdout.split()[0]  # fmt: skip
    assert re.search(r"hopluc-\d{8}-\d{6}\.dump$", dump)
    target_name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    try:
        target = database_url(target_name)
        subprocess.run(
            ["sh", "deploy/restore.sh", dump], cwd=ROOT, env=app_env(target),
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        before, after = table_fingerprints(source), table_fingerprints(target)
        assert len(before) > 30
        assert before["coordination_activity"][0] > 5  # the demo data is in it
        assert after == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
