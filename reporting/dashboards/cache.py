"""Caching of built dashboards, keyed on what they show, with a bounded age.

A dashboard is rebuilt when the data it counts changed and the cached one is older than
`settings.DASHBOARD_MAX_AGE` seconds (60 by default; the page shows when its figures were
computed). Whether the data changed is told by a stamp, one cheap query: the highest id of
plans, activities and progress updates and of their history tables. Every change made through
the app (the services save models, and django-simple-history records each save, delete and
change of an activity's cooperatives or agencies) moves the stamp. Changes that leave no history
(programs, indicators, the cooperative registry, bulk loads) show within `TIMEOUT` seconds.

A dashboard of some programs only (a province's overview, a program's dashboard: `programs`)
is rebuilt only when the rows added since its stamp belong to those programs (`changed_for`,
a look at the new rows alone): another province's progress does not rebuild it. A national
dashboard is rebuilt on any change. (A row whose transaction commits after a later row's was
read is below the stamp when it appears: the national stamp misses it until something else
changes, a scoped check until the entry expires; either way within `TIMEOUT`.)

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


def _models() -> list:
    """The tables whose rows the dashboards count, in the stamp's order."""
    models = [YearlyPlan, Activity, ProgressUpdate]
    return models + [model.history.model for model in models]


def data_stamp() -> tuple:
    """The highest primary key of each table whose rows the dashboards count."""
    models = _models()
    quote = connection.ops.quote_name
    # Table and column names come from the models, never from input.
    parts = ", ".join(
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())


def changed_for(before: tuple, now: tuple, programs: tuple[int, ...]) -> bool:
    """Whether the rows added between the stamps `before` and `now` (`data_stamp`'s) touch
    `programs`: a plan of theirs, an activity of those plans, a progress update of those
    activities, or the history of any of them. A history row names the plan, program or
    activity it was recorded for, deleted rows included, so a deletion is seen through it
    (activities never move between plans, nor plans between programs). A stamp that went
    down (rows deleted without history) counts as a change. Only the new rows are read,
    through the primary keys."""
    if len(before) != len(now) or any(
        b is not None and (n is None or n < b) for b, n in zip(before, now, strict=True)
    ):
        return True
    if not programs:
        return False
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    plan, activity = quote(YearlyPlan._meta.db_table), quote(Activity._meta.db_table)
    ids = ", ".join(["%s"] * len(programs))
    in_plans = (
        f"IN (SELECT {quote(YearlyPlan._meta.pk.column)} FROM {plan}"  # noqa: S608
        f" WHERE {column(YearlyPlan, 'program')} IN ({ids}))"
    )
    in_activities = (
        f"IN (SELECT {quote(Activity._meta.pk.column)} FROM {activity}"  # noqa: S608
        f" WHERE {column(Activity, 'plan')} {in_plans})"
    )
    parent = {
        YearlyPlan: ("program", f"IN ({ids})"),
        Activity: ("plan", in_plans),
        ProgressUpdate: ("activity", in_activities),
    }
    checks, params = [], []
    for model, b, n in zip(_models(), before, now, strict=True):
        if b == n:
            continue
        source = getattr(model, "instance_type", model)  # a history model's own model
        field, rows = parent[source]
        # Table and column names come from the models, never from input; values are params.
        checks.append(
            f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)}"  # noqa: S608
            f" WHERE {quote(model._meta.pk.column)} > %s AND {column(source, field)} {rows})"
        )
        params += [b if b is not None else 0, *programs]
    if not checks:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' OR '.join(checks)}", params)  # noqa: S608
        return bool(cursor.fetchone()[0])


def _now() -> float:
    """Seconds since the epoch, the same in every process (a module function: tests move it)."""
    return time.time()


def cached(key: tuple, build: Callable[[], T], *, programs: tuple[int, ...] | None = None) -> T:
    """`build()`'s result for `key` in the current language: reused while it is younger than
    `DASHBOARD_MAX_AGE` seconds, or older but the data it counts has not changed since it was
    built (`programs`: the ids of every program it counts; None, the national default: any
    change counts)."""
    digest = hashlib.sha256(repr((key, get_language())).encode()).hexdigest()
    # (stamp, checked at, result, built at)
    name = f"reporting:2:{digest}"
    entry = cache.get(name)
    now = _now()
    if entry is not None and now - entry[1] < settings.DASHBOARD_MAX_AGE:
        return entry[2]
    # Read before building, so a change made meanwhile rebuilds next time.
    stamp = data_stamp()
    if entry is not None and entry[0] == stamp:
        return entry[2]
    if entry is not None and programs is not None and not changed_for(entry[0], stamp, programs):
        # Checked now and still right: trusted for another `DASHBOARD_MAX_AGE` against
        # today's stamp (the next check reads only the rows added after it), but it still
        # expires `TIMEOUT` seconds after it was built, for the changes that leave no history.
        built = entry[3]
        if now - built < TIMEOUT:
            cache.set(name, (stamp, now, entry[2], built), TIMEOUT - (now - built))
            return entry[2]
    result = build()
    cache.set(name, (stamp, now, result, now), TIMEOUT)
    return result
