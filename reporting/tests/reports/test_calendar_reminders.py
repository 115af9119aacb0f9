"""Report reminders follow each program's reporting calendar: the six-month review too, a
deadline counted in working days, and the users' choice of in-app only notifications."""

import datetime

import pytest

from agencies.models import NotificationKind, Profile
from coordination import services as coordination
from coordination.models import DeadlineRule
from core.models import OutgoingEmail
from notifications.models import Notification
from notifications.reminders import send_all
from reporting.reports import services
from reporting.reports.notices import report_deadline

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def half_yearly(world):
    coordination.program_update(
        program=world.program,
        by=world.manager,
        half_year_review=True,
        half_deadline_rule=DeadlineRule.WORKING_DAYS,
        half_deadline_value=5,
    )
    world.program.refresh_from_db()
    return world


def test_a_six_month_review_due_in_working_days_is_reminded_once(half_yearly):
    w = half_yearly
    # 14/06/2026 is a Sunday: five working days later is Friday 19/06.
    assert report_deadline(program=w.program, year=2026, kind="half") == D(2026, 6, 19)
    Profile.objects.create(user=w.manager, in_app_only=[NotificationKind.REMINDER])
    w.manager.email, w.staff.email = "manager@example.vn", "staff@example.vn"
    w.manager.save()
    w.staff.save()
    for _ in range(2):
        send_all(D(2026, 6, 10))
    key = f"report-due:{w.program.pk}:half:2026"
    reminded = Notification.objects.filter(key=key)
    assert set(reminded.values_list("user__username", flat=True)) == {
        "staff", "manager", "alliance_staff", "alliance_manager"
    }  # fmt: skip
    assert "19/06/2026" in reminded.first().title
    assert "sơ kết 6 tháng đầu năm 2026" in reminded.first().title
    # In-app only for reminders: no email for the manager; the staff member gets one.
    due = OutgoingEmail.objects.filter(subject__contains="Nhắc hạn")
    assert not due.filter(recipient=w.manager).exists()
    assert due.filter(recipient=w.staff).count() == 1
    # Too early, and after the deadline: nothing more.
    assert Notification.objects.filter(key__startswith="report-due").count() == 4
    send_all(D(2026, 6, 20))
    assert Notification.objects.filter(key__startswith="report-due").count() == 4


def test_a_finalised_six_month_review_is_not_reminded(half_yearly):
    w = half_yearly
    report = services.report_generate(
        program=w.program, kind="half", year=2026, by=w.staff, today=D(2026, 6, 1)
    )
    for manager in (w.manager, w.alliance_manager):
        report = services.report_finalise(report=report, by=manager)
    send_all(D(2026, 6, 10))
    assert not Notification.objects.filter(key__contains=f"{w.program.pk}:half").exists()


def test_an_annual_deadline_in_january_is_reminded_in_january(world):
    coordination.program_update(program=world.program, by=world.manager, annual_deadline_value=10)
    world.program.refresh_from_db()
    assert report_deadline(program=world.program, year=2025) == D(2026, 1, 10)
    send_all(D(2026, 1, 5))
    assert Notification.objects.filter(key=f"report-due:{world.program.pk}:2025").count() == 4
