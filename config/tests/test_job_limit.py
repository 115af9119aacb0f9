"""A user may have JOBS_MAX_RUNNING_PER_USER background jobs waiting or running; the next one
is refused with a message on their job list, not started."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperatives.models import CooperativeImport
from core.models import Job

pytestmark = pytest.mark.django_db


def test_a_job_beyond_the_users_limit_is_refused_with_a_message(client, world):
    client.force_login(world.staff)
    export = reverse("coordination:program_export")
    for _ in range(settings.JOBS_MAX_RUNNING_PER_USER):
        response = client.post(export)
        assert response.status_code == 302 and "/cong-viec/" in response["Location"]
    response = client.post(export, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:job_list")
    page = response.content.decode()
    assert f"Bạn đang có {settings.JOBS_MAX_RUNNING_PER_USER} công việc chạy nền chưa xong" in page
    assert Job.objects.filter(owner=world.staff).count() == settings.JOBS_MAX_RUNNING_PER_USER

    # Another user is not held up; and once a job is done, the first user may start one again.
    client.force_login(world.manager)
    assert client.post(export).status_code == 302
    assert Job.objects.filter(owner=world.manager).count() == 1
    done = Job.objects.filter(owner=world.staff).first()
    Job.objects.filter(pk=done.pk).update(status=Job.Status.SUCCEEDED)
    client.force_login(world.staff)
    client.post(export)
    assert Job.objects.filter(owner=world.staff).count() == settings.JOBS_MAX_RUNNING_PER_USER + 1


def test_an_upload_beyond_the_limit_is_refused_before_anything_is_stored(client, world):
    """The cooperative import's preview job is refused before the file is kept and before the
    user's earlier uploads are dropped."""
    world.admin.is_superuser = True
    world.admin.save()
    for _ in range(settings.JOBS_MAX_RUNNING_PER_USER):
        Job.objects.create(kind="x", title="Đang chạy", owner=world.admin)
    client.force_login(world.admin)
    upload = SimpleUploadedFile("ds.csv", "Mã số HTX,Tên HTX\n".encode(), "text/csv")
    response = client.post(reverse("cooperatives:import"), {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:job_list")
    assert "công việc chạy nền chưa xong" in response.content.decode()
    assert not CooperativeImport.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
