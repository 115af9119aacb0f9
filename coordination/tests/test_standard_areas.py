"""Task areas across programs (issue 15): each program's task area is one of the five standard
areas or 'other'. National figures group by it, never by number: An Giang's sixth task of
Kết luận 70 is not another program's area 6. A program's own dashboard keeps its own areas."""

import importlib
import re

import pytest
from django.urls import reverse

from coordination import services
from coordination.models import StandardArea
from reporting import figures

from .factories import make_activity, make_program

pytestmark = pytest.mark.django_db

AN_GIANG = [
    "Tăng cường tuyên truyền, quán triệt, nâng cao nhận thức về kinh tế tập thể, HTX kiểu mới",
    "Rà soát, hoàn thiện pháp luật, cơ chế, chính sách về phát triển kinh tế tập thể, HTX",
    "Củng cố tổ chức bộ máy, nâng cao hiệu lực quản lý nhà nước về kinh tế tập thể, HTX",
    "Tăng cường năng lực quản trị, đổi mới phương thức sản xuất, kinh doanh của HTX",
    "Củng cố, đổi mới tổ chức và hoạt động của Liên minh HTX tỉnh",
    "Phát huy vai trò của Hội Nông dân tỉnh và các hội quần chúng",
    "Đẩy mạnh thông tin, tuyên truyền, quảng bá sản phẩm và ứng dụng công nghệ thông tin",
]
AN_GIANG_STANDARD = [2, 1, 0, 0, 0, 0, 2]
NATIONAL = [
    "Phối hợp nghiên cứu, xây dựng và đề xuất Chính phủ xây dựng chính sách phát triển KT-XH",
    "Phối hợp thông tin tuyên truyền, vận động bà con vùng DTTS và miền núi",
    "Phối hợp đào tạo, bồi dưỡng cán bộ, thành viên HTX và người lao động",
    "Phối hợp triển khai các nội dung, nhiệm vụ, dự án, đề án của Chương trình 120",
]


def test_a_task_areas_wording_names_its_standard_area():
    assert [StandardArea.for_title(t) for t in AN_GIANG] == AN_GIANG_STANDARD
    assert [StandardArea.for_title(t) for t in NATIONAL] == [1, 2, 3, 4]
    assert (
        StandardArea.for_title("Triển khai Chương trình MTQG: tiểu dự án thông tin, tuyên truyền")
        == StandardArea.NTP
    )


def test_the_data_migration_applies_the_same_rule():
    migration = importlib.import_module("coordination.migrations.0016_task_area_standard_area_data")
    for title in [*AN_GIANG, *NATIONAL, *(str(label) for _n, label in StandardArea.choices)]:
        assert migration.standard_area(title) == StandardArea.for_title(title)


def test_the_standard_five_are_their_own_standard_areas(world):
    areas = world.program.task_areas.order_by("number")
    assert [(a.number, a.standard_area) for a in areas] == [(n, n) for n in range(1, 6)]


@pytest.fixture
def two_programs(world):
    an_giang = make_program(
        title="Kế hoạch thực hiện Kết luận 70-KL/TW",
        kind="plan",
        parties=[world.ethnic, world.alliance],
        province=world.dong_nai,
        task_areas=AN_GIANG,
    )
    plan = services.plan_create(program=an_giang, year=2024)
    for number in (1, 6, 6):
        make_activity(plan, lead_agency=world.ethnic, area_number=number, planned_budget=1_000)
    # world.program (the standard five) has one activity in area 1; add two in area 2.
    for _i in range(2):
        make_activity(world.plan, lead_agency=world.ethnic_old, area_number=2, planned_budget=10)
    return an_giang


def test_national_figures_group_by_standard_area_not_by_number(world, two_programs):
    programs = world.program.__class__.objects.filter(pk__in=[world.program.pk, two_programs.pk])
    rows = {row.number: row for row in figures.completion_by_standard_area(programs)}
    # An Giang's task 1 (tuyên truyền) sits with the other program's area 2; its task 6 is other.
    assert rows[StandardArea.COMMUNICATION].tally.total == 3
    assert rows[StandardArea.POLICY].tally.total == 1
    assert rows[StandardArea.OTHER].tally.total == 2
    assert rows[StandardArea.OTHER].label == "Nội dung khác"
    assert list(rows)[-1] == StandardArea.OTHER
    narrowed = figures.activities_in(
        programs, figures.Filters(standard_area=StandardArea.COMMUNICATION)
    )
    assert narrowed.count() == 3


def test_the_overview_shows_standard_areas_and_a_program_dashboard_its_own(
    client, world, two_programs
):
    client.force_login(world.central_manager)
    html = client.get(reverse("reporting:overview"), {"year": ""}).content.decode()
    assert "Nội dung khác" in html and "standard=0" in html
    assert "6. Phát huy vai trò" not in html
    html = client.get(
        reverse("reporting:program", args=[two_programs.pk]), {"year": ""}
    ).content.decode()
    assert "6. Phát huy vai trò của Hội Nông dân tỉnh" in html
    listed = client.get(reverse("reporting:activities"), {"year": "", "standard": "0"})
    assert len(re.findall(r"<tr", listed.content.decode())) - 1 == 2


def test_a_manager_sets_the_standard_area_on_the_setup_page(client, world, two_programs):
    area = two_programs.task_areas.get(number=6)
    url = reverse("coordination:task_area_edit", args=[two_programs.pk, area.pk])
    client.force_login(world.other_manager)  # another province: refused, nothing changes
    response = client.post(url, {"title": area.title, "standard_area": "5"})
    assert response.status_code in (403, 404)
    area.refresh_from_db()
    assert area.standard_area == StandardArea.OTHER
    client.force_login(world.manager)
    client.post(url, {"title": area.title, "standard_area": "5"})
    area.refresh_from_db()
    assert area.standard_area == StandardArea.REVIEW
    response = client.post(url, {"title": area.title, "standard_area": "9"})
    assert "standard_area" in response.context["form"].errors
    area.refresh_from_db()
    assert area.standard_area == StandardArea.REVIEW
    page = client.get(reverse("coordination:program_setup", args=[two_programs.pk]))
    assert "Kiểm tra, giám sát, sơ kết, tổng kết và thi đua khen thưởng" in page.content.decode()


def test_a_provincial_program_chooses_the_central_program_it_carries_out(client, world):
    national = make_program(title="Chương trình trung ương", parties=[world.central, world.vca])
    services.program_update(program=world.program, by=world.manager, national_program=national)
    world.program.refresh_from_db()
    assert list(national.provincial_programs.all()) == [world.program]
    client.force_login(world.manager)
    page = client.get(reverse("coordination:program_edit", args=[world.program.pk]))
    field = page.context["form"].fields["national_program"]
    assert list(field.queryset) == [national]
