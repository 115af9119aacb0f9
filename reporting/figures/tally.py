"""The tally of a set of activities (counts by status, overdue, budget), made by one grouped
query, and the percentage every figure rounds the same way."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from coordination.models import ActivityTally

from .scope import DONE, STATUSES, with_status


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
    `ActivityTally`) by `by`, each status, the overdue and the budgets counted in columns of
    their own (`FILTER`); a Tally per value of `by`.

    The statuses are columns rather than a level of the grouping: the national overview's
    tally by standard area and province came back as some 1,200 rows (area × province × status
    × overdue) to pivot in Python, and now as 150–175 (docs/benchmarks.md, "fifth pass")."""
    today = today or timezone.localdate()
    by = list(by)
    if rows.model is ActivityTally:
        # The summary keeps the end date of open activities only (`due`): the overdue rule.
        aggregate, counted, overdue = Sum, "activities", Q(due__lt=today)
        spent = Sum("budget_spent")
    else:
        rows = with_status(rows).with_overdue(today)
        aggregate, counted, overdue = Count, "pk", Q(overdue=True)
        spent = Sum("latest_budget_spent")
    sums = {f"tally_{status}": aggregate(counted, filter=Q(status=status)) for status in STATUSES}
    sums |= {
        "tally_overdue": aggregate(counted, filter=overdue),
        "tally_planned_budget": Sum("planned_budget"),
        "tally_spent": spent,
    }
    names = [*STATUSES, "overdue", "planned_budget", "spent"]
    if by:
        found = rows.values(*by).annotate(**sums).order_by().values_list(*by, *sums)
    else:
        totals = rows.aggregate(**sums)
        # No row counted: no tally (the planned budget of a counted row is never NULL).
        found = (
            [] if totals["tally_planned_budget"] is None else [tuple(totals[key] for key in sums)]
        )
    width = len(by)
    return {
        tuple(row[:width]): Tally(
            **{name: value or 0 for name, value in zip(names, row[width:], strict=True)}
        )
        for row in found
    }
