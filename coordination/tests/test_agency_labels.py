"""Pages and exports name an agency a record was made under and, when another body carries it on
today, that one (issue 15): Ban Dân tộc tỉnh Bình Phước → Sở Dân tộc và Tôn giáo tỉnh Bình Phước
(1/3/2025) → Sở Dân tộc và Tôn giáo tỉnh Đồng Nai (1/7/2025), as in the demo. One rule
(`Agency.recorded_label`), read without a query per row."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.tests.factories import AgencyFactory
from api.tests.conftest import token_client
from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.models import YearlyPlan

from .factories import make_activity, make_program

pytestmark = pytest.mark.django_db

OLD = "Ban Dân tộc tỉnh Bình Phước – nay là Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"
TODAY = "Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"


@pytest.fixture
def chain(world):
    """The demo's chain of two successions, and a supporting body that was renamed too."""
    middle = AgencyFactory(
        name="Sở Dân tộc và Tôn giáo tỉnh Bình Phước",
        province=world.binh_phuoc,
        active=False,
        successor=world.ethnic,
        succeeded_on=datetime.date(2025, 7, 1),
    )
    world.ethnic_old.successor = middle
    world.ethnic_old.succeeded_on = datetime.date(2025, 3, 1)
    world.ethnic_old.save()
    world.alliance_old = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh Bình Phước",
        province=world.binh_phuoc,
        active=False,
        successor=world.alliance,
    )
    world.activity.supporting_agencies.set([world.alliance_old, world.department])
    return world


def page(client, user, url, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_activity_and_plan_pages_name_old_agencies_with_todays(client, chain):
    activity = page(
        client, chain.staff, reverse("coordination:activity_detail", args=[chain.activity.pk])
    )
    assert f"<dd>{OLD}</dd>" in activity
    assert (
        "Liên minh Hợp tác xã tỉnh Bình Phước – nay là Liên minh Hợp tác xã tỉnh Đồng Nai"
        in activity
    )
    # A body still in force is named alone.
    assert "Sở Công Thương tỉnh Đồng Nai<" in activity.replace("; ", "<")

    services.plan_submit(plan=chain.plan, by=chain.staff)
    plan = page(client, chain.staff, chain.plan.get_absolute_url())
    assert f"<td>{OLD}<br>" in plan  # the activity's lead
    assert f"<strong>{OLD}</strong>" in plan  # the party that has to approve
    assert "<strong>Liên minh Hợp tác xã tỉnh Đồng Nai</strong>" in plan


def test_program_pages_name_old_parties_with_todays(client, chain):
    for url in (
        reverse("coordination:home"),
        chain.program.get_absolute_url(),
        reverse("coordination:program_setup", args=[chain.program.pk]),
    ):
        assert f"{OLD}; Liên minh Hợp tác xã tỉnh Đồng Nai" in page(client, chain.staff, url)


def test_lists_of_activities_name_the_lead_as_recorded_and_today(client, chain):
    coop = CooperativeFactory(province=chain.dong_nai)
    chain.activity.cooperatives.add(coop)
    assert f"<td>{OLD}</td>" in page(
        client, chain.staff, reverse("coordination:overdue_activities")
    )
    assert f"<td>{OLD}</td>" in page(client, chain.staff, coop.get_absolute_url())
    listed = page(client, chain.central_manager, reverse("reporting:activities"))
    assert f"<td>{OLD}</td>" in listed


def test_the_activity_list_export_names_the_lead_as_recorded_and_today(client, chain):
    client.force_login(chain.central_manager)
    response = client.get(reverse("reporting:activities"), {"xlsx": "1"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Năm")
    leads = {
        r[header.index("Chương trình")]: r[header.index("Đơn vị chủ trì")]
        for r in rows[rows.index(header) + 1 :]
    }
    assert leads[chain.program.title] == OLD
    assert leads[chain.other_program.title] == "Sở Dân tộc và Tôn giáo tỉnh Quảng Ngãi"


def test_the_api_gives_the_recorded_label_beside_the_name(chain):
    client, _token = token_client(chain.manager)
    activity = client.get(reverse("api:activity-detail", args=[chain.activity.pk])).json()
    assert activity["lead_agency"]["name"] == "Ban Dân tộc tỉnh Bình Phước"
    assert activity["lead_agency"]["recorded_label"] == OLD
    program = client.get(reverse("api:program-detail", args=[chain.program.pk])).json()
    assert [p["recorded_label"] for p in program["parties"]] == [
        OLD,
        "Liên minh Hợp tác xã tỉnh Đồng Nai",
    ]


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("staff", lambda w: reverse("coordination:home")),
        ("staff", lambda w: w.plan.get_absolute_url()),
        ("staff", lambda w: reverse("coordination:overdue_activities")),
        ("central_manager", lambda w: reverse("reporting:activities")),
    ],
)
def test_old_agencies_cost_no_query_per_row(client, chain, who, url):
    client.force_login(getattr(chain, who))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(chain)).status_code == 200
        return len(queries)

    count()  # the first request of a session does more (session, access) than the page
    few = count()
    for n in range(6):
        program = make_program(
            title=f"Chương trình Bình Phước {n}",
            parties=[chain.ethnic_old, chain.alliance_old],
            province=chain.binh_phuoc,
        )
        services.plan_create(program=program, year=2024)
        make_activity(
            chain.plan,
            lead_agency=chain.ethnic_old,
            title=f"Hoạt động cũ {n}",
            supporting_agencies=[chain.alliance_old],
        )
    assert count() == few


def test_the_demos_bình_phước_plan_names_its_bodies_as_recorded_and_today(client):
    """The demo's Kế hoạch 116/KH-UBND (2024): its parties and leads, Bình Phước's bodies
    succeeded in 2025, each read with the body that carries it on today."""
    call_command("load_demo", verbosity=0)
    plan = YearlyPlan.objects.get(document_number="116/KH-UBND")
    content = page(client, get_user_model().objects.get(username="canbo"), plan.get_absolute_url())
    alliance = "Liên minh Hợp tác xã tỉnh Bình Phước – nay là Liên minh Hợp tác xã tỉnh Đồng Nai"
    assert f"<td>{OLD}" in content
    assert f"<td>{alliance}" in content
    assert "<td>Ban Dân tộc tỉnh Bình Phước<" not in content
