"""gunicorn settings for Hợp Lực (docs/deployment.md). Override with the environment:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT."""

import multiprocessing
import os
import sys
from time import monotonic

import environ

# The same settings file as the app (HOPLUC_ENV_FILE), so GUNICORN_* can live there too.
environ.Env.read_env(os.environ.get("HOPLUC_ENV_FILE", ".env"), overwrite=False)

wsgi_app = "config.wsgi:application"
# Behind nginx on the same host: listen on the loopback only, never on a public address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows for weeks: after 2,000 requests, those
# started together spread evenly over a further 2,000 (`pre_fork` below), instead of gunicorn's
# random jitter.
max_requests = 2000
max_requests_jitter = 0
# Workers forked within this many seconds of each other count as started together.
TOGETHER_S = 5.0


def pre_fork(server, worker):
    """Spread the restarts of workers started together (at start, after a reload, after
    several died at once). Workers started together and served evenly reach one limit
    together: with gunicorn's random jitter (200 of 2,000) the five workers of the load test
    restarted within one second and for about 3 s nobody was served (p99 2.8 s at 150 users;
    docs/benchmarks.md, "Issue 18 on an idle machine"); a random jitter of 1,000 still drew
    three restarts into one second. The k-th worker of a batch gets the limit plus k fifths of
    it (for 5 workers), a lone replacement the limit: the restarts then keep coming one at a
    time, a fifth of a life apart. A worker takes about 0.7 s of CPU to start. Runs in the
    master before the fork; the worker keeps its limit."""
    now = monotonic()
    together = sum(
        1
        for other in server.WORKERS.values()
        if now - getattr(other, "forked_at", -1e9) < TOGETHER_S
    )
    worker.forked_at = now
    worker.max_requests = restart_after(together, server.num_workers, server.cfg.max_requests)


def restart_after(started_with: int, workers: int, limit: int) -> int:
    """After how many requests a worker restarts, forked when `started_with` others had just
    been forked (its place in the batch); `limit` 0: never."""
    if limit <= 0:
        return sys.maxsize
    workers = max(workers, 1)
    return limit + (started_with % workers) * limit // workers


accesslog = "-"
errorlog = "-"
# nginx on this host sets X-Forwarded-*; gunicorn trusts them only from there.
forwarded_allow_ips = "127.0.0.1"
