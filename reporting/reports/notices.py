"""Who hears of a sơ kết / tổng kết report, and the report reminder (notifications.notify).

- a new version is ready → the managers of the party agencies (they finalise it);
- finalised → the staff of the party agencies; a provincial report is also *sent up*: the
  managers of the party agencies of the national program it carries out hear that it arrived;
- reminder: the annual review of the year not finalised when its deadline
  (`report_deadline`) is REMINDER_DAYS_BEFORE days away or less → everyone of the party
  agencies, once per program and year.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.access import people_of
from agencies.models import Membership, NotificationKind
from coordination.models import Program
from notifications import notify, reminders
from notifications.reminders import register
from reporting.models import Report


def report_deadline(*, program: Program, year: int) -> datetime.date:
    """The day the annual review (sơ kết) of `year` is due: 20 December of that year, a few
    working days after the annual reporting period closes on 14 December (Nghị định 09/2019).
    One rule for every program until reporting calendars set their own deadlines."""
    return datetime.date(year, 12, 20)


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
    """Annual reviews of this year not finalised as their deadline nears (see module)."""
    year = today.year
    finalised = set(
        Report.objects.filter(
            kind=Report.Kind.ANNUAL, year=year, status=Report.Status.FINALISED
        ).values_list("program_id", flat=True)
    )
    sent = 0
    programs = Program.objects.filter(start_year__lte=year, end_year__gte=year)
    for program in programs.exclude(pk__in=finalised).prefetch_related("parties"):
        deadline = report_deadline(program=program, year=year)
        if not reminders.is_due(today, deadline):
            continue
        sent += len(
            notify(
                people_of(program.parties.all()),
                NotificationKind.REMINDER,
                url=reverse("reporting:report_program", args=[program.pk]),
                key=f"report-due:{program.pk}:{year}",
                title=lambda program=program, deadline=deadline: (
                    _(
                        "Nhắc hạn: sơ kết năm %(year)s của %(program)s cần hoàn thành trước "
                        "%(deadline)s"
                    )
                    % {
                        "year": year,
                        "program": program.title,
                        "deadline": deadline.strftime("%d/%m/%Y"),
                    }
                ),
            )
        )
    return sent
