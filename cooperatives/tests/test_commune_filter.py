"""The registry filtered by commune within a province (issue 15): the commune is typed without
tone marks, today's name or an old one, and cooperatives recorded under an old commune merged
into the chosen one are listed with it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from agencies.models import Province

from .test_communes import imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def located(agencies_world):
    """Cooperatives placed by the import: two written under old Bình Phước communes that
    became phường Lộc Ninh (Đồng Nai), one written under today's units, one elsewhere."""
    report = imported(
        [
            ["3800200001", "HTX Lộc Thái", "tỉnh Bình Phước", "huyện Lộc Ninh", "xã Lộc Thái"],
            ["3800200002", "HTX Thị trấn", "Bình Phước", "H. Lộc Ninh", "TT. Lộc Ninh"],
            ["3800200003", "HTX Hai cấp", "Đồng Nai", "", "phường Lộc Ninh"],
            ["3800200004", "HTX Tân Khai", "Đồng Nai", "", "xã Tân Khai"],
            ["3800200005", "HTX Cửa Nam", "Hà Nội", "", "phường Cửa Nam"],
        ]
    )
    assert report.ok and not report.warnings
    return Province.objects.current().get(code="75")


def listed(client, user, **query) -> str:
    client.force_login(user)
    response = client.get(reverse("cooperatives:list"), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("written", ["Lộc Ninh", "phuong loc ninh", "XÃ LỘC NINH", "loc thai"])
def test_commune_filter_includes_old_communes_merged_into_it(
    client, agencies_world, located, written
):
    content = listed(client, agencies_world.staff, province=located.pk, commune=written)
    for name in ("HTX Lộc Thái", "HTX Thị trấn", "HTX Hai cấp"):
        assert name in content
    assert "HTX Tân Khai" not in content and "HTX Cửa Nam" not in content
    assert "3 hợp tác xã" in content


def test_commune_field_appears_once_a_province_is_chosen_with_its_communes(
    client, agencies_world, located
):
    content = listed(client, agencies_world.staff)
    assert 'name="commune"' not in content
    assert "data-autosubmit" in content  # the province list reloads the page
    content = listed(client, agencies_world.staff, province=located.pk)
    assert 'name="commune"' in content and 'list="commune-names"' in content
    assert '<option value="Phường Lộc Ninh">' in content
    assert '<option value="Phường Cửa Nam">' not in content  # Hà Nội's


def test_commune_without_province_is_ignored_and_unknown_commune_is_said(
    client, agencies_world, located
):
    content = listed(client, agencies_world.staff, commune="Lộc Ninh")
    assert "HTX Cửa Nam" in content and "HTX Lộc Thái" in content
    content = listed(client, agencies_world.staff, province=located.pk, commune="Cửa Nam")
    assert "Không có xã, phường nào tên “Cửa Nam” ở TP Đồng Nai." in content
    assert "HTX Lộc Thái" in content and "HTX Cửa Nam" not in content  # the province still


def test_export_follows_the_commune_filter(client, agencies_world, located):
    client.force_login(agencies_world.staff)
    response = client.get(
        reverse("cooperatives:export"), {"province": located.pk, "commune": "Tân Khai"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["HTX Tân Khai"]


@pytest.mark.parametrize("province", [str(2**64), "-1", "abc", "99999999"])
def test_commune_with_a_province_that_is_none_is_ignored(client, agencies_world, province):
    content = listed(client, agencies_world.staff, province=province, commune="Lộc Ninh")
    assert 'name="commune"' not in content
    assert "Hãy chọn một lựa chọn hợp lệ" in content  # the province field says why
