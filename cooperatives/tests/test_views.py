"""The /htx/ pages: list, detail, export, template and the two-step import."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from agencies.models import Membership
from agencies.tests.factories import AgencyFactory, MembershipFactory, UserFactory, province
from cooperatives.models import Cooperative

from .factories import CooperativeFactory
from .files import messy_row, messy_workbook, simple_workbook

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


def test_anonymous_user_is_sent_to_login(client):
    for name in ["list", "export", "template", "import"]:
        response = client.get(reverse(f"cooperatives:{name}"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


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
    from cooperatives.importer.formats import escape_formula, write_xlsx

    assert escape_formula(f"{start}=1+1") == f"'{start}=1+1"
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
        assert client.post(reverse("cooperatives:import_confirm")).status_code == 403


def test_preview_then_confirm_imports_the_file(client, agencies_world):
    client.force_login(agencies_world.admin)  # central admin: any province
    data = messy_workbook([messy_row(1), messy_row(2, **{"Tỉnh": "Kon Tum"})])
    response = client.post(reverse("cooperatives:import"), {"file": upload("ds.xlsx", data)})
    content = response.content.decode()
    assert 'id="count-new">2<' in content and 'id="count-skipped">4<' in content
    assert "Mã bưu chính" in content  # ignored columns are listed
    assert not Cooperative.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("cooperatives:import_confirm"), {"token": token})
    assert response.status_code == 302 and response.url == reverse("cooperatives:list")
    assert Cooperative.objects.count() == 2
    content = client.get(response.url).content.decode()
    assert "Đã nhập danh sách HTX: 2 mới" in content
    # The pending file is gone: confirming twice does nothing more.
    response = client.post(reverse("cooperatives:import_confirm"), {"token": token})
    assert response.status_code == 302 and response.url == reverse("cooperatives:import")


def test_preview_with_errors_offers_no_confirm_and_lists_every_error(client, agencies_world):
    client.force_login(agencies_world.admin)
    data = messy_workbook(
        [messy_row(1, **{"Số sao OCOP": "9"}), messy_row(2, **{"Mã số thuế": "12"})]
    )
    content = client.post(
        reverse("cooperatives:import"), {"file": upload("ds.xlsx", data)}
    ).content.decode()
    assert 'id="count-errors">2<' in content
    assert "confirm-import" not in content
    assert '<td class="num">6</td><td>Q “Số sao OCOP”</td>' in content
    assert '<td class="num">7</td><td>B “Mã số thuế”</td>' in content
    assert client.post(reverse("cooperatives:import_confirm")).status_code == 302
    assert not Cooperative.objects.exists()


def test_a_bad_file_is_reported_next_to_the_field(client, agencies_world):
    client.force_login(agencies_world.admin)
    response = client.post(reverse("cooperatives:import"), {"file": upload("ds.xlsx", b"%PDF-1.4")})
    content = response.content.decode()
    assert 'id="file-errors"' in content and "không phải tệp Excel" in content


def test_provincial_admin_imports_only_their_province(client, agencies_world):
    admin = provincial_admin(agencies_world)
    client.force_login(admin)
    form_page = client.get(reverse("cooperatives:import")).content.decode()
    assert f'<option value="{agencies_world.dong_nai.pk}" selected>' in form_page
    assert "Quảng Ngãi" not in form_page
    data = simple_workbook(
        ["Mã số HTX", "Tên HTX", "Tỉnh"],
        [
            ["3800100001", "HTX A", "Bình Phước"],
            ["3800100002", "HTX B", "Kon Tum"],
            ["3800100003", "HTX C", None],
        ],
    )
    content = client.post(
        reverse("cooperatives:import"),
        {"file": upload("ds.xlsx", data), "province": agencies_world.dong_nai.pk},
    ).content.decode()
    assert 'id="count-errors">1<' in content and "dòng này thuộc Quảng Ngãi" in content
    data = simple_workbook(["Mã số HTX", "Tên HTX"], [["3800100001", "HTX A"]])
    response = client.post(
        reverse("cooperatives:import"),
        {"file": upload("ds.xlsx", data), "province": agencies_world.dong_nai.pk},
    )
    client.post(reverse("cooperatives:import_confirm"), {"token": response.context["token"]})
    assert Cooperative.objects.get().province == province("75")


def test_provincial_admin_cannot_take_over_another_provinces_cooperative(client, agencies_world):
    CooperativeFactory(registration_code="5100100001", province=agencies_world.quang_ngai)
    client.force_login(provincial_admin(agencies_world))
    data = simple_workbook(["Mã số HTX", "Tên HTX", "Tỉnh"], [["5100100001", "HTX X", "Đồng Nai"]])
    content = client.post(
        reverse("cooperatives:import"), {"file": upload("ds.xlsx", data)}
    ).content.decode()
    assert "thuộc tỉnh khác" in content


def test_admin_of_an_old_agency_imports_for_its_successor_province(client, agencies_world):
    user = MembershipFactory(
        user=UserFactory(username="qt.binhphuoc"),
        agency=AgencyFactory(name="Liên minh HTX Bình Phước", province=agencies_world.binh_phuoc),
        role=Membership.Role.ADMIN,
    ).user
    client.force_login(user)
    data = simple_workbook(["Mã số HTX", "Tên HTX", "Tỉnh"], [["3800100001", "HTX A", "Đồng Nai"]])
    content = client.post(
        reverse("cooperatives:import"), {"file": upload("ds.xlsx", data)}
    ).content.decode()
    assert 'id="count-new">1<' in content


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
    assert rows[1][3] == "Đồng Nai"


def test_confirming_a_preview_that_a_later_upload_replaced_imports_nothing(client, agencies_world):
    client.force_login(agencies_world.admin)
    first = client.post(
        reverse("cooperatives:import"),
        {"file": upload("a.xlsx", messy_workbook([messy_row(1)]))},
    )
    client.post(
        reverse("cooperatives:import"),
        {"file": upload("b.xlsx", messy_workbook([messy_row(2)]))},
    )
    response = client.post(
        reverse("cooperatives:import_confirm"), {"token": first.context["token"]}
    )
    assert response.status_code == 302 and response.url == reverse("cooperatives:import")
    assert not Cooperative.objects.exists()
