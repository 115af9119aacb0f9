"""Who hears of a sơ kết / tổng kết report, and the report reminder (notifications.notify).

- a new version is ready → the managers of the party agencies (they finalise it);
- finalised → the staff of the party agencies; a provincial report is also *sent up*: the
  managers of the party agencies of the national program it carries out hear that it arrived;
- reminder: a sơ kết (annual, or six-month for programs that have one) not finalised when
  its deadline under the program's reporting calendar (`report_deadline`,
  coordination/periods.py) is REMINDER_DAYS_BEFORE days away or less → everyone of the party
  agencies, once per program and period, by email too for those who want reminders by email.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.access import people_of
from agencies.models import Membership, NotificationKind
from coordination import periods
from coordination.models import Program
from notifications import notify, reminders
from notifications.reminders import register
from reporting.models import Report


def report_deadline(*, program: Program, year: int, kind: str = periods.ANNUAL) -> datetime.date:
    """The day the sơ kết of `kind` and `year` is due under the program's reporting calendar
    (by default 20/12 for the annual review, a few days after its window closes on 14/12)."""
    return periods.period_for(program, kind, year).deadline


def report_ready(report: Report) -> None:
    people = people_of(report.program.parties.all(), roles=[Membership.Role.MANAGER])
    notify(
        people,
        NotificationKind.REPORT,
        url=report.get_absolute_url(),
        key=f"report-ready:{report.pk}",
        title=lambda: (
            _("%(report)s (phiên bản %(version)s) chờ lãnh đạo xác nhận: %(program)s")
            % {"report": report.title, "version": report.version, "program": report.program.title}
        ),
    )


def report_finalised(report: Report) -> None:
    people = people_of(report.program.parties.all(), roles=[Membership.Role.STAFF])
    notify(
        people,
        NotificationKind.REPORT,
        url=report.get_absolute_url(),
        title=lambda: (
            _("%(report)s đã hoàn thành: %(program)s")
            % {"report": report.title, "program": report.program.title}
        ),
    )
    report_sent_up(report)


def report_sent_up(report: Report) -> None:
    """A provincial program's finalised report arrives at its national program: its managers
    hear of it (their notification preferences apply, as for every notice)."""
    national = report.program.national_program
    if national is None:
        return
    people = people_of(national.parties.all(), roles=[Membership.Role.MANAGER])
    notify(
        people,
        NotificationKind.REPORT,
        url=reverse("reporting:report_program", args=[national.pk]) + "#received",
        key=f"report-sent-up:{report.pk}",
        title=lambda: (
            _("%(province)s đã gửi %(report)s (phiên bản %(version)s) lên %(national)s")
            % {
                "province": report.program.province.label,
                "report": report.title,
                "version": report.version,
                "national": national.title,
            }
        ),
    )


@register
def reports_due(today: datetime.date) -> int:
    """Sơ kết not finalised as their deadline nears (see module). A deadline may fall in the
    year after the period's (10/01 for the annual review), so last year's periods are looked
    at too."""
    years = (today.year - 1, today.year)
    finalised = set(
        Report.objects.filter(
            kind__in=periods.KINDS, year__in=years, status=Report.Status.FINALISED
        ).values_list("program_id", "kind", "year")
    )
    sent = 0
    programs = Program.objects.filter(start_year__lte=today.year, end_year__gte=years[0])
    for program in programs.prefetch_related("parties"):
        for year in years:
            if year not in program.years:
                continue
            for period in periods.periods_of(program, year):
                if (program.pk, period.kind, year) in finalised:
                    continue
                if not reminders.is_due(today, period.deadline):
                    continue
                sent += len(_remind(program, period))
    return sent


def _remind(program: Program, period: periods.Period) -> list:
    # The annual key is the one used before six-month reviews existed: not sent twice.
    if period.kind == periods.ANNUAL:
        key = f"report-due:{program.pk}:{period.year}"
    else:
        key = f"report-due:{program.pk}:{period.kind}:{period.year}"
    return notify(
        people_of(program.parties.all()),
        NotificationKind.REMINDER,
        url=reverse("reporting:report_program", args=[program.pk]),
        key=key,
        title=lambda: (
            _("Nhắc hạn: %(report)s của %(program)s cần hoàn thành trước %(deadline)s")
            % {
                "report": period.label.lower(),
                "program": program.title,
                "deadline": period.deadline.strftime("%d/%m/%Y"),
            }
        ),
        body=lambda: _("Số liệu kỳ báo cáo %(window)s.") % {"window": period.window_label},
    )
