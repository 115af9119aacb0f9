"""A full disk while an import file is uploaded (issue 14): the user reads a clear message on
the form, no upload row is created, no partly written file is left in nhap-htx/ (which no row
would reference, so the purge would never remove it) and the earlier upload stays as it was."""

import pytest
from django.conf import settings
from django.urls import reverse

from cooperatives.models import CooperativeImport
from core.tests.helpers import fill_the_disk, stored_files

from .files import simple_workbook
from .test_views import provincial_admin, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written", [0, 1000])
def test_a_full_disk_during_an_upload_leaves_nothing_half_written(
    client, agencies_world, monkeypatch, written
):
    client.force_login(provincial_admin(agencies_world))
    data = simple_workbook(["Mã số HTX", "Tên HTX"], [["3600000001", "HTX Một"]])
    first = client.post(reverse("cooperatives:import"), {"file": upload("ds.xlsx", data)})
    assert first.status_code == 302
    earlier = CooperativeImport.objects.get()
    before = stored_files(settings.MEDIA_ROOT)
    assert before == [earlier.file.name]

    fill_the_disk(monkeypatch, written=written)
    response = client.post(reverse("cooperatives:import"), {"file": upload("ds2.xlsx", data)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Máy chủ đã hết chỗ lưu tệp nên chưa lưu được." in page and "Traceback" not in page
    assert list(CooperativeImport.objects.all()) == [earlier]
    earlier.refresh_from_db()
    assert earlier.file.name == before[0], "the earlier upload is not dropped for a failed one"
    assert stored_files(settings.MEDIA_ROOT) == before
