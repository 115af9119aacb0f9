"""Fault test: a crash in the middle of an import leaves no partial rows.

The real `import_cooperatives` command runs in its own process on a large valid file; once it is
writing (SQLite's write-ahead log grows, or PostgreSQL shows its COPY running) it is killed
with SIGKILL — no chance to clean up — and the registry must be exactly as it was before."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from config.tests.servers import app_env, database_url

ROOT = Path(__file__).resolve().parents[2]
ROWS = 40_000


def write_list(path: Path) -> None:
    """A valid provincial list: every row is new, so the import reaches its write phase."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["STT", "Mã số HTX", "Tên HTX", "Tỉnh", "Số thành viên", "Thành viên DTTS"])
        for n in range(ROWS):
            writer.writerow(
                [n + 1, f"{4100000000 + n}", f"HTX Nông nghiệp số {n}", "Kiên Giang", 20, 5]
            )


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def count(env: dict) -> int:
    result = manage(
        env,
        "shell",
        "-c",
        "from cooperatives.models import Cooperative; print(Cooperative.objects.count())",
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def writing_started(env: dict, wal: Path | None) -> bool:
    if wal is not None:
        return wal.exists() and wal.stat().st_size > 1_000_000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND query ILIKE %s",
            ['COPY "cooperatives_cooperative"%'],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killing_an_import_mid_write_leaves_no_partial_rows(tmp_path):
    if connection.vendor == "sqlite":
        # The test database is in memory; the import process needs a database file of its own.
        database, wal = f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "db.sqlite3-wal"
        env = app_env(database)
        assert manage(env, "migrate", "--noinput").returncode == 0
    else:
        env, wal = app_env(database_url()), None
    source = tmp_path / "danh_sach_htx.csv"
    write_list(source)
    seed = tmp_path / "seed.csv"
    with seed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["Mã số HTX", "Tên HTX", "Tỉnh"], ["4199999999", "HTX Có sẵn", "An Giang"]]
        )
    assert manage(env, "import_cooperatives", str(seed)).returncode == 0
    before = count(env)
    assert before == 1

    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_cooperatives", str(source)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    try:
        while not writing_started(env, wal):
            assert process.poll() is None, "the import ended before it could be interrupted"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert count(env) == before
    if wal is not None:
        check = manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('PRAGMA integrity_check'); print(c.fetchone()[0])",
        )
        assert check.stdout.strip().splitlines()[-1] == "ok"
    # The same file imports completely once nothing interrupts it.
    finished = manage(env, "import_cooperatives", str(source))
    assert (
        finished.stdout.strip().splitlines()[-1]
        == f"new={ROWS} updated=0 unchanged=0 skipped=0 errors=0"
    )
    assert count(env) == before + ROWS
