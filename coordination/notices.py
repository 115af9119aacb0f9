"""Who hears of a plan's workflow and reminders, and what they are told (notifications.notify).

The plan services call these inside their transaction: a refused step notifies nobody, and the
emails go out from the outbox after it commits. Recipients are the people of the program's party
agencies (and of the agencies carrying them on today):
- submitted → the managers (they approve);
- approved, returned (with the reason), reopened → the staff (they write the plan).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import people_of
from agencies.models import Membership, NotificationKind
from notifications import notify, reminders
from notifications.reminders import register

from .models import Activity, Program, YearlyPlan

MANAGERS = [Membership.Role.MANAGER]
STAFF = [Membership.Role.STAFF]


def _plan_people(plan: YearlyPlan, roles):
    return people_of(plan.program.parties.all(), roles=roles)


def plan_submitted(plan: YearlyPlan, *, by) -> None:
    notify(
        _plan_people(plan, MANAGERS).exclude(pk=getattr(by, "pk", None)),
        NotificationKind.PLAN_SUBMITTED,
        url=plan.get_absolute_url(),
        title=lambda: (
            _("Kế hoạch năm %(year)s chờ phê duyệt: %(program)s")
            % {"year": plan.year, "program": plan.program.title}
        ),
    )


def plan_approved(plan: YearlyPlan) -> None:
    _tell_staff(plan, gettext_lazy("Kế hoạch năm %(year)s đã được phê duyệt: %(program)s"))


def plan_returned(plan: YearlyPlan, *, reason: str) -> None:
    _tell_staff(plan, gettext_lazy("Kế hoạch năm %(year)s bị trả lại: %(program)s"), reason=reason)


def plan_reopened(plan: YearlyPlan, *, reason: str) -> None:
    _tell_staff(
        plan, gettext_lazy("Kế hoạch năm %(year)s được mở lại để sửa: %(program)s"), reason=reason
    )


def _tell_staff(plan: YearlyPlan, title, *, reason: str = "") -> None:
    """Tell the staff of the plan's parties; `title` (lazy) is read in each person's language."""
    notify(
        _plan_people(plan, STAFF),
        NotificationKind.PLAN_DECIDED,
        url=plan.get_absolute_url(),
        title=lambda: str(title) % {"year": plan.year, "program": plan.program.title},
        body=lambda: _("Lý do: %(reason)s") % {"reason": reason} if reason else "",
    )


# --- Reminders (run by notifications.reminders.send_all) --------------------------------------


@register
def plans_due(today: datetime.date) -> int:
    """The plan of this year not yet submitted (none, or a draft) when its deadline
    (`Program.plan_deadline`) is REMINDER_DAYS_BEFORE days away or less and not yet past: the
    people of the party agencies, once per program and year."""
    year = today.year
    sent = 0
    programs = Program.objects.filter(start_year__lte=year, end_year__gte=year).prefetch_related(
        "parties"
    )
    submitted = set(
        YearlyPlan.objects.filter(year=year)
        .exclude(status=YearlyPlan.Status.DRAFT)
        .values_list("program_id", flat=True)
    )
    plans = {
        plan.program_id: plan for plan in YearlyPlan.objects.filter(year=year, program__in=programs)
    }
    for program in programs:
        deadline = program.plan_deadline(year)
        if program.pk in submitted or not reminders.is_due(today, deadline):
            continue
        plan = plans.get(program.pk)
        sent += len(
            notify(
                people_of(program.parties.all()),
                NotificationKind.REMINDER,
                url=plan.get_absolute_url() if plan else program.get_absolute_url(),
                key=f"plan-due:{program.pk}:{year}",
                title=lambda program=program, deadline=deadline: (
                    _(
                        "Nhắc hạn: kế hoạch năm %(year)s của %(program)s cần trình duyệt trước "
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


@register
def overdue_digest(today: datetime.date) -> int:
    """Once a week (ISO week), each manager of an agency with overdue activities in the programs
    where it is a party: how many, with the link to the list of overdue activities."""
    iso = today.isocalendar()
    key = f"overdue-digest:{iso.year}-W{iso.week:02d}"
    managers = people_of_managers()
    sent = 0
    for manager in managers:
        count = (
            Activity.objects.filter(
                plan__program__in=Program.objects.approvable_by(manager).values("pk")
            )
            .overdue(today)
            .count()
        )
        if not count:
            continue
        sent += len(
            notify(
                [manager],
                NotificationKind.DIGEST,
                url=reverse("coordination:overdue_activities"),
                key=key,
                title=lambda count=count: (
                    _(
                        "Tổng hợp tuần: %(count)s hoạt động quá hạn trong các chương trình của cơ quan "
                        "bạn"
                    )
                    % {"count": count}
                ),
            )
        )
    return sent


def people_of_managers():
    """Active users who manage an active agency."""
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(role=Membership.Role.MANAGER, agency__active=True).values(
            "user_id"
        ),
    )
