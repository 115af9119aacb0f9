"""gunicorn settings for Hợp Lực (docs/deployment.md). Override with the environment:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT."""

import multiprocessing
import os

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
# Recycle workers now and then so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# nginx on this host sets X-Forwarded-*; gunicorn trusts them only from there.
forwarded_allow_ips = "127.0.0.1"
