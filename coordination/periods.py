"""The reporting calendar (Nghị định 09/2019/NĐ-CP, DOMAIN.md §7): which window a sơ kết covers,
when it is due, and working days.

- **Windows** end on the 14th: the annual review (sơ kết năm) of year Y covers 15/12/(Y−1) to
  14/12/Y, the six-month review (sơ kết 6 tháng) 15/12/(Y−1) to 14/06/Y. Every program has the
  annual review; the six-month one only when `Program.half_year_review` is set.
- **Deadlines**, one rule per kind of period (`Program.annual_deadline_*`, `half_deadline_*`):
  either a day of the month — the first such day after the cut-off (20 → 20/12 for the annual
  review, 10 → 10/01 of the next year) — or N working days after the cut-off.
- **Working days** skip Saturdays, Sundays and Vietnam's public holidays as the `holidays`
  library knows them (Tết by the lunar calendar, substitute days included): never a table of
  ours.
- **Closing**: once a period's deadline has passed, progress updates dated inside its window
  are closed (when the program closes its periods, `Program.closes_periods`) unless a manager
  reopened the period (`PeriodReopening`). `closing_period` is the one rule; the model's
  `ProgressUpdate.closing_period()` and the services ask it.

Plain dates in, plain values out: no query here except the program's reopenings.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

ANNUAL = "annual"
HALF = "half"
KINDS = (ANNUAL, HALF)
# Deadline rules (`Program.DeadlineRule`).
DAY_OF_MONTH = "day"
WORKING_DAYS = "working_days"
# The last day of every Decree 09 window.
CUTOFF_DAY = 14
_KEY = re.compile(r"^(annual|half)-(\d{4})$")


@dataclass(frozen=True)
class Period:
    """One reporting period of a program: its kind, the year it reports on, its window
    (`start`–`end`, both included) and its deadline."""

    kind: str
    year: int
    start: datetime.date
    end: datetime.date
    deadline: datetime.date

    @property
    def key(self) -> str:
        """'annual-2026', 'half-2026': the value of the `period` query parameter."""
        return f"{self.kind}-{self.year}"

    @property
    def label(self) -> str:
        if self.kind == HALF:
            return _("Sơ kết 6 tháng đầu năm %(year)s") % {"year": self.year}
        return _("Sơ kết năm %(year)s") % {"year": self.year}

    @property
    def window_label(self) -> str:
        """'từ 15/12/2025 đến 14/12/2026'."""
        return _("từ %(start)s đến %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def is_past_deadline(self, today: datetime.date) -> bool:
        return today > self.deadline


def window(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    """The Decree 09 window of a period: 15/12 of the year before to 14/12 (annual) or 14/06
    (six-month) of `year`."""
    start = datetime.date(year - 1, 12, CUTOFF_DAY + 1)
    end_month = 6 if kind == HALF else 12
    return start, datetime.date(year, end_month, CUTOFF_DAY)


def parse_key(key: str) -> tuple[str, int] | None:
    """('annual', 2026) from 'annual-2026'; None for anything else."""
    match = _KEY.match(key or "")
    if not match:
        return None
    return match[1], int(match[2])


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Vietnamese public holiday (Tết and substitute days included)."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The `n`th working day after `day` (`day` itself not counted; n = 0 gives `day`)."""
    current = day
    while n > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def deadline_after(cutoff: datetime.date, rule: str, value: int) -> datetime.date:
    """The deadline of a period ending on `cutoff`: the first day numbered `value` after it
    (clamped to the month's last day), or `value` working days after it."""
    if rule == WORKING_DAYS:
        return add_working_days(cutoff, value)
    year, month = cutoff.year, cutoff.month
    if value <= cutoff.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime.date(year, month, min(value, calendar.monthrange(year, month)[1]))


def kinds_of(program) -> tuple[str, ...]:
    """The kinds of period `program` reports on: the annual review, and the six-month one if
    the program wants it."""
    return (HALF, ANNUAL) if program.half_year_review else (ANNUAL,)


def period_for(program, kind: str, year: int) -> Period:
    """The period of `kind` and `year` under the program's calendar (whether or not the program
    reports on that kind: callers check `kinds_of`)."""
    start, end = window(kind, year)
    if kind == HALF:
        rule, value = program.half_deadline_rule, program.half_deadline_value
    else:
        rule, value = program.annual_deadline_rule, program.annual_deadline_value
    return Period(kind, year, start, end, deadline_after(end, rule, value))


def periods_of(program, year: int) -> list[Period]:
    """The periods the program reports on for `year`, in the order they fall due."""
    return [period_for(program, kind, year) for kind in kinds_of(program)]


def periods_in(program) -> list[Period]:
    """Every period of the program's years, in the order they fall due."""
    return [period for year in program.years for period in periods_of(program, year)]


def period_containing(program, day: datetime.date, kind: str = ANNUAL) -> Period:
    """The period of `kind` whose window holds `day` (15/12/2026 is in the annual review of
    2027). A six-month window covers only half the year: a day outside it gives the next one."""
    year = day.year + 1 if (day.month, day.day) > (12, CUTOFF_DAY) else day.year
    if kind == HALF and (day.month, day.day) > (6, CUTOFF_DAY) and year == day.year:
        year += 1
    return period_for(program, kind, year)


def periods_containing(program, day: datetime.date) -> list[Period]:
    """The program's periods whose window holds `day` (the six-month one, then the annual)."""
    found = [period_containing(program, day, kind) for kind in kinds_of(program)]
    return [p for p in found if p.contains(day)]


def closing_period(program, day: datetime.date, *, today: datetime.date) -> Period | None:
    """The period that closes progress dated `day`, or None when such progress may change.

    Closed: the program closes its periods, a period holding `day` is past its deadline, and
    no period holding `day` is reopened today (`PeriodReopening.objects.open_on`). The one
    rule behind the services, the pages, the API and the admin."""
    if not program.closes_periods:
        return None
    holding = periods_containing(program, day)
    closed = [p for p in holding if p.is_past_deadline(today)]
    if not closed:
        return None
    reopened = {
        (r.kind, r.year)
        for r in program.period_reopenings.open_on(today).filter(
            kind__in=[p.kind for p in holding], year__in=[p.year for p in holding]
        )
    }
    if any((p.kind, p.year) in reopened for p in holding):
        return None
    return closed[0]


def closed_message(period: Period) -> str:
    """Why a change to progress dated in a closed period is refused."""
    return _(
        "%(period)s (%(window)s) đã khóa sau hạn báo cáo %(deadline)s: không thêm, sửa hay xóa "
        "tiến độ ghi ngày trong kỳ này. Lãnh đạo cơ quan tham gia chương trình có thể mở lại kỳ "
        "báo cáo, kèm lý do."
    ) % {
        "period": period.label,
        "window": period.window_label,
        "deadline": period.deadline.strftime("%d/%m/%Y"),
    }
