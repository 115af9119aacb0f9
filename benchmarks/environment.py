"""How every benchmark script starts Django, so that each runs from a clean checkout as its
docstring says, with the production settings (DEBUG off) that the figures are about.

    from benchmarks import environment      # or, run as a file: import environment

    environment.setup()                     # before importing models

`configure()` only sets the environment (for scripts that start other processes);
`setup()` also sets Django up for requests through the test client in this process."""

import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(*, database: str | None = None) -> None:
    """The project importable, its settings, and plain HTTP: with DEBUG off, HTTPS defaults on
    and every request of the test client (or to a local gunicorn) would get a 301 to https.
    `database` is the DATABASE_URL to use when none is set. Values already set are kept."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("HTTPS", "False")
    # Production settings (DEBUG off) refuse to start without a key of their own.
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
    if database:
        os.environ.setdefault("DATABASE_URL", database)


def setup(*, database: str | None = None) -> None:
    """`configure()`, set Django up, and let the test client in: its host is allowed and static
    files are named without collectstatic's manifest (as in the tests; pages are timed, not
    the static files, which WhiteNoise serves in production)."""
    configure(database=database)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # nothing is collected
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
