"""Caching of built dashboards, keyed on what they show and on a stamp of the data.

The stamp is one cheap query: the highest id of plans, activities and progress updates and of
their history tables. Every change made through the app (the services save models, and
django-simple-history records each save, delete and change of an activity's cooperatives or
agencies) moves the stamp, so a manager sees a new figure on the next request. Changes that
leave no history (programs, indicators, the cooperative registry, bulk loads) show within
`TIMEOUT` seconds."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

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


def cached(key: tuple, build: Callable[[], T]) -> T:
    """`build()`'s result, reused while the data stamp and the language stay the same."""
    digest = hashlib.sha256(repr((key, data_stamp(), get_language())).encode()).hexdigest()
    name = f"reporting:{digest}"
    result = cache.get(name)
    if result is None:
        result = build()
        cache.set(name, result, TIMEOUT)
    return result
