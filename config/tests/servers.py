"""Real servers for the deployment and fault tests: a throwaway PostgreSQL cluster the test
controls (stop it, start it again), gunicorn app servers and the job worker as subprocesses."""

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), default=None, key=lambda p: p.parent.name)


def free_port() -> int:
    """A free port on 127.0.0.1: from HOPLUC_TEST_PORTS ("18070-18099") when set, so runs on
    a shared machine stay in their own range, else one the system picks."""
    wanted = os.environ.get("HOPLUC_TEST_PORTS")
    ports = range(int(wanted.split("-")[0]), int(wanted.split("-")[1]) + 1) if wanted else [0]
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in {wanted}")


def database_url(name: str | None = None, **settings) -> str:
    """A DATABASE_URL for the test database (or another database on the same server)."""
    s = {**connection.settings_dict, **settings}
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{name or s['NAME']}"


def app_env(database: str, **extra) -> dict:
    """The environment of an app process: production settings over plain HTTP on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "DEBUG", "PYTEST", "HTTPS"))
    }
    env.update(
        DATABASE_URL=database,
        DEBUG="False",
        HTTPS="False",
        SECRET_KEY="test-secret-key-for-app-servers-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        HOPLUC_ENV_FILE="/nonexistent",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def run_as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user there."""
    if os.geteuid() == 0:
        command = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(map(str, command))]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary folder, on a free loopback port."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hopluc-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        run_as_postgres(
            [PG_BIN / "initdb", "-D", self.dir / "data", "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8"]
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        run_as_postgres(
            [PG_BIN / "pg_ctl", "-D", self.dir / "data", "-o", options, "-l",
             self.dir / "log", "-w", "start"]
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        run_as_postgres([PG_BIN / "pg_ctl", "-D", self.dir / "data", "-m", mode, "-w", "stop"])

    def url(self, name: str = "hopluc") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-tAc", statement],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def manage(*args: str, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


@contextmanager
def process(command: list[str], env: dict, ready_url: str | None = None):
    """Run a server subprocess (its own process group) until the block ends."""
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        if ready_url:
            wait_until_up(ready_url, proc, log)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def wait_until_up(url: str, proc, log, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback test server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def gunicorn(port: int, env: dict, workers: int = 2):
    """gunicorn with the documented configuration (deploy/gunicorn.conf.py)."""
    command = [
        sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
    ]  # fmt: skip
    return process(command, env, ready_url=f"http://127.0.0.1:{port}/dang-nhap/")
