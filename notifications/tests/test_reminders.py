"""Reminders (`manage.py send_reminders`): each once per person and occasion however often the
job runs, none to deactivated users, only inside the window before the deadline."""

import datetime
import io

import pytest
from django.core.management import call_command

from agencies.models import NotificationKind
from coordination import services
from coordination.tests.factories import make_activity
from notifications import reminders
from notifications.models import Notification
from reporting.reports import services as reports
from reporting.reports.notices import report_deadline

pytestmark = pytest.mark.django_db


def plan_reminders(program=None):
    prefix = f"plan-due:{program.pk}:" if program else "plan-due:"
    return Notification.objects.filter(key__startswith=prefix)


def test_a_plan_not_submitted_is_reminded_once_per_person_and_never_to_deactivated_users(world):
    world.alliance_staff.is_active = False
    world.alliance_staff.save()
    deadline = world.program.plan_deadline(2026)
    assert deadline == datetime.date(2026, 1, 31)

    # Too early: more than REMINDER_DAYS_BEFORE (14) days before the deadline.
    reminders.send_all(datetime.date(2026, 1, 16))
    assert not plan_reminders().exists()

    for day in (17, 17, 20, 31):
        reminders.send_all(datetime.date(2026, 1, day))
    ours = plan_reminders(world.program)
    people = sorted(ours.values_list("user__username", flat=True))
    # Everyone of both parties (Đồng Nai's Sở carries on the old Ban Dân tộc), once each;
    # the deactivated staff member gets nothing.
    assert people == ["alliance_manager", "manager", "staff"]
    assert {n.url for n in ours} == {world.program.get_absolute_url()}
    assert "31/01/2026" in ours.first().title

    # Next year is another occasion.
    reminders.send_all(datetime.date(2027, 1, 20))
    assert plan_reminders(world.program).count() == 6


def test_a_submitted_plan_is_not_reminded_and_the_deadline_is_the_programs(world):
    world.program.plan_deadline_month, world.program.plan_deadline_day = 3, 15
    world.program.save()
    plan = services.plan_create(program=world.program, year=2026)
    make_activity(plan, lead_agency=world.ethnic_old)
    reminders.send_all(datetime.date(2026, 1, 25))
    assert not plan_reminders(world.program).exists()  # 31/1 is not this program's deadline
    services.plan_submit(plan=plan, by=world.staff)
    reminders.send_all(datetime.date(2026, 3, 10))
    assert not plan_reminders(world.program).exists()
    # The other program (Quảng Ngãi) keeps the default deadline.
    assert set(plan_reminders().values_list("user__username", flat=True)) == {
        "other_staff",
        "other_manager",
    }


def test_plan_deadline_on_29_february_is_the_28th_in_a_common_year(world):
    world.program.plan_deadline_month, world.program.plan_deadline_day = 2, 29
    world.program.full_clean()
    assert world.program.plan_deadline(2027) == datetime.date(2027, 2, 28)
    assert world.program.plan_deadline(2028) == datetime.date(2028, 2, 29)
    world.program.plan_deadline_month, world.program.plan_deadline_day = 4, 31
    with pytest.raises(Exception, match="Tháng 4 không có ngày 31"):
        world.program.full_clean()


def test_a_report_not_finalised_is_reminded_once_before_its_deadline(world):
    assert report_deadline(program=world.program, year=2026) == datetime.date(2026, 12, 20)
    for _ in range(3):
        call_command("send_reminders", "--date", "10/12/2026", stdout=io.StringIO())
    keyed = Notification.objects.filter(key=f"report-due:{world.program.pk}:2026")
    # The people of the party agencies, once each.
    assert set(keyed.values_list("user__username", flat=True)) == {
        "staff",
        "manager",
        "alliance_staff",
        "alliance_manager",
    }
    assert not keyed.filter(user=world.other_staff).exists()


def test_a_finalised_report_is_not_reminded(world):
    report = reports.report_generate(
        program=world.program,
        kind="annual",
        year=2026,
        by=world.staff,
        today=datetime.date(2026, 12, 1),
    )
    reports.report_finalise(report=report, by=world.manager)
    reports.report_finalise(report=report, by=world.alliance_manager)
    reminders.send_all(datetime.date(2026, 12, 10))
    assert not Notification.objects.filter(
        key__startswith=f"report-due:{world.program.pk}:"
    ).exists()


def test_the_weekly_digest_of_overdue_activities_goes_to_managers_once_a_week(world):
    # The 2024 activity ended on 30/06/2024 without progress: overdue.
    for day in (1, 2, 5):  # Monday 1, Tuesday 2, Saturday 6 July 2024 are one ISO week
        reminders.send_all(datetime.date(2024, 7, day))
    digests = Notification.objects.filter(kind=NotificationKind.DIGEST)
    assert set(digests.values_list("user__username", flat=True)) == {
        "manager",
        "alliance_manager",
        "other_manager",
    }
    assert digests.get(user=world.manager).title.startswith("Tổng hợp tuần: 1 hoạt động quá hạn")
    reminders.send_all(datetime.date(2024, 7, 8))  # the next week
    assert digests.filter(user=world.manager).count() == 2
