"""The /htx/ pages: list, detail, export, template and the two-step import."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape

from agencies.models import Membership
from agencies.tests.factories import MembershipFactory, UserFactory
from cooperatives.models import Cooperative, CooperativeImport
from core.models import Job

from .factories import CooperativeFactory
from .files import messy_row, messy_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(agencies_world):
    """Cooperatives in Đồng Nai (one recorded under old Bình Phước) and Quảng Ngãi."""
    w = agencies_world
    return {
        "bugiamap": CooperativeFactory(
            name="HTX Nông nghiệp Bù Gia Mập",
            province=w.dong_nai,
            province_as_written="Bình Phước",
            sector="Nông nghiệp",
            ocop_stars=3,
            in_ethnic_minority_area=True,
        ),
        "old": CooperativeFactory(name="HTX Điều Bình Phước", province=w.binh_phuoc, sector="Điều"),
        "kontum": CooperativeFactory(
            name="HTX Sâm Ngọc Linh",
            province=w.quang_ngai,
            province_as_written="Kon Tum",
            sector="Dược liệu",
            status=Cooperative.Status.DISSOLVED,
        ),
    }


def page(client, user, url, data=None):
    client.force_login(user)
    response = client.get(url, data or {})
    assert response.status_code == 200
    return response.content.decode()


def test_everyone_signed_in_reads_the_whole_registry(client, agencies_world, registry):
    content = page(client, agencies_world.other_staff, reverse("cooperatives:list"))
    for coop in registry.values():
        assert coop.name in content
    assert "Nhập từ Excel" not in content  # staff may not import
    assert 'href="/htx/"' in content  # the nav link


def test_list_search_ignores_tone_marks(client, agencies_world, registry):
    content = page(client, agencies_world.staff, reverse("cooperatives:list"), {"q": "bu gia map"})
    assert registry["bugiamap"].name in content and registry["kontum"].name not in content


def test_a_new_province_filter_includes_its_old_units(client, agencies_world, registry):
    content = page(
        client,
        agencies_world.staff,
        reverse("cooperatives:list"),
        {"province": agencies_world.dong_nai.pk},
    )
    assert registry["bugiamap"].name in content and registry["old"].name in content
    assert registry["kontum"].name not in content


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"sector": "Dược liệu"}, ["kontum"]),
        ({"ocop": "any"}, ["bugiamap"]),
        ({"ocop": "3"}, ["bugiamap"]),
        ({"ethnic_area": "yes"}, ["bugiamap"]),
        ({"status": "dissolved"}, ["kontum"]),
        ({"kind": "union"}, []),
    ],
)
def test_list_filters(client, agencies_world, registry, criteria, expected):
    content = page(client, agencies_world.staff, reverse("cooperatives:list"), criteria)
    shown = [key for key, coop in registry.items() if coop.name in content]
    assert shown == expected


def test_list_is_paginated_within_a_query_budget(
    client, agencies_world, django_assert_max_num_queries
):
    CooperativeFactory.create_batch(120, province=agencies_world.dong_nai)
    client.force_login(agencies_world.staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cooperatives:list"), {"page": 3})
    content = response.content.decode()
    assert "Trang 3/3" in content
    assert content.count('href="/htx/') - content.count('href="/htx/nhap') >= 20


def test_detail_lists_supporting_activities_by_year_that_the_user_may_see(client, world):
    coop = CooperativeFactory(province=world.dong_nai, name="HTX Nông nghiệp hữu cơ Đồng Nai")
    world.activity.cooperatives.add(coop)
    world.other_activity.cooperatives.add(coop)
    earlier = world.program.plans.create(year=2023)
    old_activity = earlier.activities.create(
        task_area=world.activity.task_area,
        title="Tập huấn VietGAP cho HTX",
        lead_agency=world.ethnic_old,
        start_date=datetime.date(2023, 4, 1),
        end_date=datetime.date(2023, 5, 1),
    )
    old_activity.cooperatives.add(coop)
    content = page(client, world.staff, coop.get_absolute_url())
    assert coop.registration_code in content
    assert content.index("Năm 2024") < content.index("Năm 2023")
    assert world.activity.title in content and "Tập huấn VietGAP cho HTX" in content
    assert world.other_program.title not in content  # not the staff's program
    content = page(client, world.central_manager, coop.get_absolute_url())
    assert world.other_program.title in content


def test_unknown_cooperative_is_404(client, agencies_world):
    client.force_login(agencies_world.staff)
    assert client.get(reverse("cooperatives:detail", args=[999999])).status_code == 404


def read_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_is_the_filtered_list_with_the_import_headers(client, agencies_world, registry):
    client.force_login(agencies_world.staff)
    response = client.get(
        reverse("cooperatives:export"), {"province": agencies_world.quang_ngai.pk}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response.content)
    assert rows[0][:4] == ["Mã số HTX", "Tên HTX", "Loại hình", "Tỉnh/thành phố"]
    assert [row[1] for row in rows[1:]] == ["HTX Sâm Ngọc Linh"]
    assert rows[1][3:5] == ["Quảng Ngãi", "Kon Tum"]


def test_export_escapes_formula_like_text(client, agencies_world):
    CooperativeFactory(
        name="=cmd|' /C calc'!A0",
        representative="+84 912 345 678",
        address="-2+3",
        sector="@SUM(1)",
        province=agencies_world.dong_nai,
    )
    client.force_login(agencies_world.staff)
    rows = read_xlsx(client.get(reverse("cooperatives:export")).content)
    header, row = rows[0], rows[1]
    cell = dict(zip(header, row, strict=True))
    assert cell["Tên HTX"] == "'=cmd|' /C calc'!A0"
    assert cell["Người đại diện"] == "'+84 912 345 678"
    assert cell["Địa chỉ"] == "'-2+3"
    assert cell["Ngành nghề"] == "'@SUM(1)"


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_export_escapes_tab_and_carriage_return_starts(start):
    from cooperatives.importer.formats import write_xlsx
    from core.xlsx import safe_value

    assert safe_value(f"{start}=1+1") == f"'{start}=1+1"
    assert read_xlsx(write_xlsx(["A"], [[f"{start}x"]]))[1] == [f"'{start}x"]


def test_template_has_the_headers_and_an_example_row_that_imports(client, agencies_world):
    client.force_login(agencies_world.staff)
    rows = read_xlsx(client.get(reverse("cooperatives:template")).content)
    assert rows[0][0] == "Mã số HTX" and len(rows) == 2
    assert rows[1][1] == "HTX Nông nghiệp Bù Gia Mập"


# --- import -------------------------------------------------------------------------------
def provincial_admin(agencies_world):
    return MembershipFactory(
        user=UserFactory(username="qt.dongnai"),
        agency=agencies_world.alliance,
        role=Membership.Role.ADMIN,
    ).user


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_import_is_forbidden_to_staff_and_managers(client, agencies_world):
    for user in [agencies_world.staff, agencies_world.manager, agencies_world.central_manager]:
        client.force_login(user)
        assert client.get(reverse("cooperatives:import")).status_code == 403
        confirm = reverse("cooperatives:import_confirm", args=[1])
        assert client.post(confirm).status_code == 403
        assert client.get(reverse("cooperatives:import_detail", args=[1])).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("ds.xlsx", b"%PDF-1.4", "không phải tệp Excel"),
        ("ds.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel đời cũ"),
        ("ds.xlsx", b"PK\x03\x04 broken", "bị hỏng"),
    ],
)
def test_a_bad_file_is_reported_next_to_the_field_and_nothing_is_kept(
    client, agencies_world, name, content, expected
):
    """The safety checks run in the request: no file is kept and no job is started."""
    client.force_login(agencies_world.admin)
    response = client.post(reverse("cooperatives:import"), {"file": upload(name, content)})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="file-errors"' in text and expected in text
    assert not CooperativeImport.objects.exists() and not Job.objects.exists()


def test_a_file_over_the_size_limit_is_refused_in_the_request(client, agencies_world, settings):
    settings.COOPERATIVE_IMPORT_MAX_BYTES = 1000
    client.force_login(agencies_world.admin)
    data = messy_workbook([messy_row(n) for n in range(1, 30)])
    response = client.post(reverse("cooperatives:import"), {"file": upload("ds.xlsx", data)})
    assert "Tệp quá lớn" in response.content.decode()
    assert not CooperativeImport.objects.exists()


def test_provincial_admin_sees_only_their_province_on_the_form(client, agencies_world):
    client.force_login(provincial_admin(agencies_world))
    form_page = client.get(reverse("cooperatives:import")).content.decode()
    assert f'<option value="{agencies_world.dong_nai.pk}" selected>' in form_page
    assert "Quảng Ngãi" not in form_page


def test_an_invalid_filter_is_left_out_and_the_others_still_apply(client, agencies_world, registry):
    content = page(
        client,
        agencies_world.staff,
        reverse("cooperatives:list"),
        {"q": "bu gia map", "province": "x"},
    )
    assert registry["bugiamap"].name in content and registry["kontum"].name not in content


def test_export_files_a_record_of_an_old_unit_under_todays_unit(client, agencies_world, registry):
    client.force_login(agencies_world.staff)
    response = client.get(reverse("cooperatives:export"), {"q": "dieu binh phuoc"})
    rows = read_xlsx(response.content)
    assert [row[1] for row in rows[1:]] == ["HTX Điều Bình Phước"]
    assert rows[1][3] == "TP Đồng Nai"


def test_search_stieng_finds_stieng_written_with_an_apostrophe(client, agencies_world):
    coop = CooperativeFactory(name="HTX Thổ cẩm S'tiêng Bù Đăng", province=agencies_world.dong_nai)
    content = page(client, agencies_world.staff, reverse("cooperatives:list"), {"q": "stieng"})
    assert escape(coop.name) in content
    assert Cooperative.objects.search("s’tieng").get() == coop


def test_the_data_migration_recomputes_keys_stored_before_the_change(agencies_world):
    from importlib import import_module

    from django.apps import apps

    coop = CooperativeFactory(name="HTX Chơ-ro S'tiêng", province=agencies_world.dong_nai)
    Cooperative.objects.filter(pk=coop.pk).update(search_key="htx cho-ro s'tieng")  # as stored
    migration = import_module("cooperatives.migrations.0003_search_key_joins_inner_punctuation")
    migration.recompute(apps, None)
    assert Cooperative.objects.get(pk=coop.pk).search_key.startswith("htx choro stieng")
