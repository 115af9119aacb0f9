"""The tally of a set of activities (counts by status, overdue, budget), made by one grouped
query, and the percentage every figure rounds the same way."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, QuerySet, Sum, Value, When
from django.utils import timezone

from coordination.models import ActivityTally

from .scope import DONE, NOT_STARTED, STATUSES, with_status


@dataclass(frozen=True)
class Tally:
    """Counts by status, overdue, and budget of a set of activities."""

    done: int = 0
    in_progress: int = 0
    delayed: int = 0
    not_started: int = 0
    cancelled: int = 0
    overdue: int = 0
    planned_budget: int = 0
    spent: int = 0

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.delayed + self.not_started + self.cancelled

    def count(self, status: str) -> int:
        return getattr(self, status)

    def percent(self, status: str) -> Decimal:
        """Share of `status` among all activities, rounded to one decimal (0 when none)."""
        return percent(self.count(status), self.total)

    @property
    def done_percent(self) -> Decimal:
        return self.percent(DONE)

    @property
    def spent_percent(self) -> Decimal:
        return percent(self.spent, self.planned_budget)

    @property
    def by_status(self) -> list[tuple[str, int, Decimal]]:
        """(status, count, percent) in the order of `ProgressUpdate.Status`."""
        return [(status, self.count(status), self.percent(status)) for status in STATUSES]

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{name: getattr(self, name) + getattr(other, name) for name in TALLY_FIELDS})


# The counts a Tally adds up (its `total` is derived from them).
TALLY_FIELDS = [
    "done",
    "in_progress",
    "delayed",
    "not_started",
    "cancelled",
    "overdue",
    "planned_budget",
    "spent",
]


def percent(part, whole) -> Decimal:
    """`part` as a percentage of `whole`, rounded to one decimal; 0 when `whole` is 0 or None."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def tally_by(rows: QuerySet, by: Iterable[str], today: datetime.date | None) -> dict[tuple, Tally]:
    """One grouped query: the counted rows (`scope.tallies_in`: activities, or the summary rows
    `ActivityTally`) by `by` + status + past-due, with budgets; pivoted to a Tally per value of
    `by`."""
    today = today or timezone.localdate()
    by = list(by)
    if rows.model is ActivityTally:
        # The summary keeps the end date of open activities only (`due`): the overdue rule.
        overdue = Case(
            When(due__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        rows = (
            rows.annotate(overdue=overdue)
            .values(*by, "status", "overdue")
            .annotate(n=Sum("activities"), planned=Sum("planned_budget"), spent=Sum("budget_spent"))
        )
    else:
        rows = (
            with_status(rows)
            .with_overdue(today)
            .values(*by, "status", "overdue")
            .annotate(
                n=Count("pk"), planned=Sum("planned_budget"), spent=Sum("latest_budget_spent")
            )
        )
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TALLY_FIELDS, 0))
    for row in rows.order_by():
        key = tuple(row[name] for name in by)
        tally = counts[key]
        status = row["status"] or NOT_STARTED
        tally[status] += row["n"]
        if row["overdue"]:
            tally["overdue"] += row["n"]
        tally["planned_budget"] += row["planned"] or 0
        tally["spent"] += row["spent"] or 0
    return {key: Tally(**values) for key, values in counts.items()}
