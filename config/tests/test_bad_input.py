"""The bad input the issue named, one by one (test_fuzz feeds it everywhere): a clear refusal,
never a 500."""

import pytest
from django.urls import reverse

from agencies.models import Agency
from coordination.models import Activity

pytestmark = pytest.mark.django_db

GARBLED_MESSAGE = "Dữ liệu gửi lên có ký tự không hợp lệ"


@pytest.fixture
def staff(client, world):
    client.force_login(world.staff)
    return client


@pytest.fixture
def superuser(client, world):
    """The central admin, with the Django admin site's rights too."""
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/?q=%00",
        "/bao-cao/htx/?sector=%00",
        "/bao-cao/htx/?sector=%00&xlsx=1",
        "/bao-cao/htx/?sector=%FF%FE",
        "/htx/?q=Ph%FA",  # Latin-1, not UTF-8
        "/quan-tri/coordination/activity/?q=%00",
    ],
)
def test_nul_bytes_and_invalid_utf8_in_the_query_string_get_the_400_page(superuser, url):
    response = superuser.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert GARBLED_MESSAGE in page and "Chưa xử lý được yêu cầu" in page


def test_a_nul_byte_in_a_form_gets_the_400_page_and_saves_nothing(staff, world):
    response = staff.post(
        reverse("coordination:plan_create", args=[world.program.pk]),
        {"year": "2025", "document_number": "12\x00", "copy_previous": "on"},
    )
    assert response.status_code == 400
    assert GARBLED_MESSAGE in response.content.decode()
    assert not world.program.plans.filter(year=2025).exists()


def test_an_id_beyond_64_bits_in_a_multiple_choice_is_an_invalid_choice(staff, world):
    response = staff.post(
        reverse("coordination:activity_edit", args=[world.activity.pk]),
        {
            "task_area": world.activity.task_area_id,
            "title": "Hội nghị",
            "lead_agency": world.ethnic.pk,
            "supporting_agencies": [str(2**64), str(world.alliance.pk)],
            "start_date": "01/03/2024",
            "end_date": "30/06/2024",
            "planned_budget": "0",
            "version": world.activity.version,
        },
    )
    assert response.status_code == 200
    assert "supporting_agencies" in response.context["form"].errors
    assert Activity.objects.get(pk=world.activity.pk).title != "Hội nghị"


@pytest.mark.parametrize("indicator", [str(2**64), str(-(2**70))])
def test_an_indicator_id_beyond_64_bits_is_ignored_with_the_list_shown(staff, world, indicator):
    response = staff.get(reverse("reporting:activities"), {"indicator": indicator})
    assert response.status_code == 200
    assert "indicator" in response.context["extra"].errors


def test_in_lookups_leave_out_integers_no_column_can_hold(world):
    huge = 2**64
    assert list(Agency.objects.filter(pk__in=[huge, world.ethnic.pk])) == [world.ethnic]
    assert not Agency.objects.filter(pk__in=[huge, -huge]).exists()
    assert Agency.objects.exclude(pk__in=[huge]).count() == Agency.objects.count()


def test_the_admin_history_of_a_report_kind_is_the_reports_history(superuser):
    response = superuser.get("/quan-tri/reporting/annualreview/1/history/")
    assert response.status_code == 302
    assert response["Location"] == "/quan-tri/reporting/report/1/history/"


def test_the_admin_export_with_a_parameter_naming_no_filter_gets_the_400_page(superuser):
    response = superuser.get("/quan-tri/cooperatives/cooperative/export/?agency=1")
    assert response.status_code == 400
