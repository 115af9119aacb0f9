"""A report ready to finalise tells the managers of the parties; finalised, the staff."""

import datetime

import pytest

from agencies.models import NotificationKind
from notifications.models import Notification
from reporting.reports import services

pytestmark = pytest.mark.django_db


def test_a_new_version_goes_to_the_managers_and_the_finalised_report_to_the_staff(world):
    report = services.report_generate(
        program=world.program,
        kind="annual",
        year=2024,
        by=world.staff,
        today=datetime.date(2024, 12, 16),
    )
    notes = Notification.objects.filter(kind=NotificationKind.REPORT)
    assert set(notes.values_list("user__username", flat=True)) == {"manager", "alliance_manager"}
    assert notes.first().url == report.get_absolute_url()
    assert "chờ lãnh đạo xác nhận" in notes.first().title

    services.report_finalise(report=report, by=world.manager)
    assert notes.count() == 2  # not yet finalised: one party of two
    services.report_finalise(report=report, by=world.alliance_manager)
    finalised = notes.filter(title__contains="đã hoàn thành")
    assert set(finalised.values_list("user__username", flat=True)) == {"staff", "alliance_staff"}
