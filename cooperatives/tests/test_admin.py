"""django-import-export's admin import (preview, then confirm) and export, on our resource."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.tests.factories import UserFactory
from cooperatives.models import Cooperative

from .factories import CooperativeFactory
from .files import messy_row, messy_workbook

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:cooperatives_cooperative_import")
PROCESS = reverse("admin:cooperatives_cooperative_process_import")


@pytest.fixture
def superuser():
    user = UserFactory(username="sieu", is_staff=True, is_superuser=True)
    return user


def test_admin_import_previews_then_confirms(client, superuser):
    client.force_login(superuser)
    data = messy_workbook([messy_row(1), messy_row(2, **{"Tỉnh": "Kon Tum"})])
    response = client.post(
        IMPORT, {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("ds.xlsx", data)}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="count-new">2<' in content and 'id="count-skipped">4<' in content
    confirm = response.context["confirm_form"]
    assert confirm is not None and not Cooperative.objects.exists()
    response = client.post(PROCESS, {**confirm.initial, "format": "0", "resource": "0"})
    assert response.status_code == 302
    assert Cooperative.objects.count() == 2


def test_admin_import_shows_row_errors_in_vietnamese_and_writes_nothing(client, superuser):
    client.force_login(superuser)
    data = messy_workbook([messy_row(1, **{"Tổng số": 5, "Trong đó DTTS": 9})])
    response = client.post(
        IMPORT, {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("ds.xlsx", data)}
    )
    content = response.content.decode()
    assert "Số thành viên › Trong đó DTTS" in content
    assert "không được lớn hơn" in content
    assert response.context.get("confirm_form") is None
    assert not Cooperative.objects.exists()


def test_admin_import_of_a_bad_file_says_why(client, superuser):
    client.force_login(superuser)
    response = client.post(
        IMPORT,
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("ds.xlsx", b"xyz")},
    )
    assert "không phải tệp Excel" in response.content.decode()


def test_admin_import_needs_the_import_permission(client):
    staff = UserFactory(username="nhanvien", is_staff=True)
    client.force_login(staff)
    assert client.get(IMPORT).status_code == 403


def test_admin_export_writes_our_xlsx(client, superuser):
    CooperativeFactory(name="HTX Xuất", registration_code="0101234567")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:cooperatives_cooperative_export"),
        {
            "format": "0",
            "resource": "0",
            "cooperativeresource_registration_code": "on",
            "cooperativeresource_name": "on",
        },
    )
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][:2] == ("0101234567", "HTX Xuất")
