import pytest
from django.urls import reverse

from agencies.tests.factories import PASSWORD
from coordination.models import Program

from .factories import make_activity

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_login_page_is_vietnamese_and_wrong_password_gets_a_clear_message(client, world):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()
    response = client.post(reverse("login"), {"username": "staff", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302


def test_home_lists_only_the_programs_the_user_may_see(client, world):
    page = login(client, world.staff).get(reverse("coordination:home")).content.decode()
    assert world.program.title in page
    assert world.other_program.title not in page


def test_central_manager_sees_every_program(client, world):
    page = login(client, world.central_manager).get(reverse("coordination:home")).content.decode()
    assert world.program.title in page and world.other_program.title in page


def test_user_without_agency_sees_no_program(client, world):
    page = login(client, world.outsider).get(reverse("coordination:home")).content.decode()
    assert "chưa được giao theo dõi chương trình nào" in page


def test_home_search_ignores_tone_marks(client, world):
    page = login(client, world.central_manager).get(
        reverse("coordination:home"), {"q": "binh phuoc"}
    )
    content = page.content.decode()
    assert world.program.title in content and world.other_program.title not in content


def test_staff_of_successor_agency_opens_the_predecessor_program(client, world):
    response = login(client, world.staff).get(world.program.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    for area in world.program.task_areas.all():
        assert area.title in content
    assert "nay là" in content  # the old party is shown with its successor


def test_supporting_agency_of_an_activity_sees_the_program(client, world):
    make_activity(world.plan, lead_agency=world.ethnic_old, supporting_agencies=[world.department])
    assert (
        login(client, world.department_staff).get(world.program.get_absolute_url()).status_code
        == 200
    )


def test_provincial_manager_sees_every_program_of_their_province(client, world):
    from .factories import make_program

    scheme = make_program(
        title="Đề án của tỉnh",
        parties=[world.department],
        kind=Program.Kind.SCHEME,
        province=world.dong_nai,
    )
    login(client, world.manager)
    assert client.get(scheme.get_absolute_url()).status_code == 200
    assert client.get(world.other_program.get_absolute_url()).status_code == 404


def test_plan_page_groups_activities_under_task_areas_with_vietnamese_numbers(client, world):
    make_activity(
        world.plan,
        lead_agency=world.ethnic,
        area_number=3,
        title="Lớp tập huấn",
        planned_budget=1_250_000,
    )
    content = login(client, world.staff).get(world.plan.get_absolute_url()).content.decode()
    assert "Lớp tập huấn" in content
    assert "1.250.000" in content
    assert "01/03/2024" in content


def test_program_page_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    login(client, world.staff)
    with django_assert_max_num_queries(20):
        assert client.get(world.program.get_absolute_url()).status_code == 200


def test_english_is_offered_as_second_language(client, world):
    login(client, world.staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("coordination:home")).content.decode()
    assert "Programs you follow" in content
