"""Caching of built dashboards, keyed on what they show, with a bounded age.

A dashboard is rebuilt when the data it counts changed and the cached one is older than
`settings.DASHBOARD_MAX_AGE` seconds (60 by default; the page shows when its figures were
computed). Whether the data changed is told by a stamp, one cheap query: the highest id of
plans, activities and progress updates and of their history tables. Every change made through
the app (the services save models, and django-simple-history records each save, delete and
change of an activity's cooperatives or agencies) moves the stamp. Changes that leave no history
(programs, indicators, the cooperative registry, bulk loads) show within `TIMEOUT` seconds.

Why an age and not the stamp alone: at national scale some progress is recorded every few
seconds, so a stamp-only key would rebuild every dashboard on nearly every view (the load test
in docs/benchmarks.md); with the age, each dashboard is rebuilt at most once a minute."""

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from coordination.models import Activity, ProgressUpdate, YearlyPlan

TIMEOUT = 300
T = TypeVar("T")


def data_stamp() -> tuple:
    """The highest primary key of each table whose rows the dashboards count."""
    models = [YearlyPlan, Activity, ProgressUpdate]
    models += [model.history.model for model in models]
    quote = connection.ops.quote_name
    # Table and column names come from the models, never from input.
    parts = ", ".join(
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())


def _now() -> float:
    """Seconds since the epoch, the same in every process (a module function: tests move it)."""
    return time.time()


def cached(key: tuple, build: Callable[[], T]) -> T:
    """`build()`'s result for `key` in the current language: reused while it is younger than
    `DASHBOARD_MAX_AGE` seconds, or older but the data stamp has not moved since it was built."""
    digest = hashlib.sha256(repr((key, get_language())).encode()).hexdigest()
    name = f"reporting:{digest}"
    entry = cache.get(name)
    now = _now()
    if entry is not None and now - entry[1] < settings.DASHBOARD_MAX_AGE:
        return entry[2]
    # Read before building, so a change made meanwhile rebuilds next time.
    stamp = data_stamp()
    if entry is not None and entry[0] == stamp:
        return entry[2]
    result = build()
    cache.set(name, (stamp, now, result), TIMEOUT)
    return result
