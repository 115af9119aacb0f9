from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from agencies.models import Membership
from agencies.tests.factories import MembershipFactory, UserFactory
from api import services as token_services
from coordination import services
from coordination.tests.factories import make_activity, make_progress
from reporting.reports import services as reports


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counts live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_world(world):
    """`world` (Đồng Nai's program through old Bình Phước, Quảng Ngãi's as the other province)
    plus an indicator with phase targets, progress on both sides, and a finalised 2024 annual
    review of each program."""
    w = world
    phase1 = w.program.phases.get(number=1)
    indicator = services.indicator_create(
        program=w.program,
        code="CS1",
        name="Số HTX thành lập mới",
        unit="HTX",
        targets={phase1: "≥ 3"},
    )
    w.activity.indicator = indicator
    w.activity.save(update_fields=["indicator"])
    second = make_activity(w.plan, lead_agency=w.alliance, title="Tập huấn chuyển đổi số")
    progress = make_progress(w.activity, author=w.staff, actual_value="2", note="Đã thành lập 2")
    other_progress = make_progress(w.other_activity, author=w.other_staff, note="Quảng Ngãi 9981")
    other_alliance_manager = MembershipFactory(
        user=UserFactory(username="other_alliance_manager"),
        agency=w.other_alliance,
        role=Membership.Role.MANAGER,
    ).user
    finalised = []
    for program, managers in (
        (w.program, (w.manager, w.alliance_manager)),
        (w.other_program, (w.other_manager, other_alliance_manager)),
    ):
        report = reports.report_generate(program=program, kind="annual", year=2024, by=managers[0])
        for manager in managers:
            report = reports.report_finalise(report=report, by=manager)
        finalised.append(report)
    return SimpleNamespace(
        **vars(w),
        indicator=indicator,
        second_activity=second,
        progress=progress,
        other_progress=other_progress,
        report=finalised[0],
        other_report=finalised[1],
    )


def token_client(user, **kwargs) -> tuple[APIClient, object]:
    """A client authenticated by a new token of `user` (no session)."""
    token, secret = token_services.token_create(user=user, name="Kịch bản thử", **kwargs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, token
