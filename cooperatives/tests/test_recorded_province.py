"""The registry's export names the province a record is filed under when it is a former unit
('Tỉnh khi ghi nhận': 'Bình Phước (cũ)') beside today's in 'Tỉnh/thành phố', and the import
reads it back: export then import changes nothing, and the record stays where it was filed
(issue 15)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cooperatives.models import Cooperative
from cooperatives.services import cooperatives_import

from .factories import CooperativeFactory
from .files import simple_workbook

pytestmark = pytest.mark.django_db

RECORDED = "Tỉnh khi ghi nhận"


def rows_of(data: bytes) -> dict[str, dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    return {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)}


@pytest.fixture
def registry(agencies_world):
    w = agencies_world
    w.old = CooperativeFactory(
        registration_code="3800100001",
        name="HTX Điều Bù Gia Mập",
        province=w.binh_phuoc,
        province_as_written="Bình Phước",
    )
    w.new = CooperativeFactory(
        registration_code="3600100002", name="HTX Tiêu Đồng Nai", province=w.dong_nai
    )
    return w


def test_the_export_names_the_former_unit_beside_todays(client, registry):
    client.force_login(registry.admin)
    response = client.get(reverse("cooperatives:export"))
    assert response.status_code == 200
    rows = rows_of(response.content)
    old, new = rows["3800100001"], rows["3600100002"]
    assert (old["Tỉnh/thành phố"], old[RECORDED]) == ("TP Đồng Nai", "Bình Phước (cũ)")
    assert (new["Tỉnh/thành phố"], new[RECORDED]) == ("TP Đồng Nai", None)
    header = list(old)
    assert header.index(RECORDED) == header.index("Tỉnh ghi trong nguồn") + 1


def test_export_then_import_is_unchanged_and_keeps_the_former_unit(client, registry):
    client.force_login(registry.admin)
    data = client.get(reverse("cooperatives:export")).content
    report = cooperatives_import(data=data, name="xuat.xlsx")
    assert report.summary == "new=0 updated=0 unchanged=2 skipped=0 errors=0", report.errors
    registry.old.refresh_from_db()
    assert registry.old.province == registry.binh_phuoc


def test_a_unit_that_is_not_one_of_todays_former_ones_is_refused(registry):
    headers = ["Mã số HTX", "Tên HTX", "Tỉnh/thành phố", RECORDED]
    data = simple_workbook(headers, [["3800100001", "HTX Điều", "Đồng Nai", "Kiên Giang (cũ)"]])
    report = cooperatives_import(data=data, name="ds.xlsx")
    [error] = report.errors
    assert error.column.endswith(f"“{RECORDED}”")
    assert error.message == "“Kiên Giang (cũ)” không phải TP Đồng Nai hay một tỉnh cũ của nó."
    registry.old.refresh_from_db()
    assert registry.old.name == "HTX Điều Bù Gia Mập"  # nothing written


def test_an_empty_cell_files_the_record_under_todays_unit(registry):
    headers = ["Mã số HTX", "Tên HTX", "Tỉnh/thành phố", RECORDED]
    data = simple_workbook(headers, [["3600100009", "HTX Mới", "Đồng Nai", None]])
    assert cooperatives_import(data=data, name="ds.xlsx").ok
    assert Cooperative.objects.get(registration_code="3600100009").province == registry.dong_nai
