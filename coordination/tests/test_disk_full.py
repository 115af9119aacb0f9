"""Fault test: the disk fills up while an attachment is saved. The user reads a clear message,
no progress update is recorded and no partly written file is left.

The full disk is real: MEDIA_ROOT is a tmpfs of a few hundred KB mounted for the test (needs
root, skipped otherwise). A storage-level ENOSPC test covers the same path where mounting is
impossible."""

import errno
import os
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse

from coordination import services
from coordination.models import ProgressUpdate

from . import files

pytestmark = pytest.mark.django_db
DISK_FULL = "Máy chủ đã hết chỗ lưu tệp nên chưa ghi nhận được."


def pdf_of(size: int) -> bytes:
    """A PDF (by its header) of about `size` bytes."""
    return files.PDF_BYTES + b"%" + b"0" * (size - len(files.PDF_BYTES) - 2) + b"\n"


@pytest.fixture
def small_disk(settings, tmp_path):
    """MEDIA_ROOT on a real 256 KB filesystem (tmpfs), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs as MEDIA_ROOT needs root")
    media = tmp_path / "media"
    media.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", str(media)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    settings.MEDIA_ROOT = str(media)
    try:
        yield media
    finally:
        subprocess.run(["umount", str(media)], check=True)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def post_progress(client, world, content: bytes, name: str = "Biên bản.pdf"):
    return client.post(
        reverse("coordination:progress_create", args=[world.activity.pk]),
        {
            "reported_on": "2024-05-10",
            "status": "in_progress",
            "percent": "40",
            "budget_spent": "1.000.000",
            "note": "Đã tổ chức hội nghị",
            "attachment": files.upload(name, content),
        },
    )


@pytest.mark.parametrize(
    "size",
    [
        600 * 1024,  # kept in memory by Django's upload handler, written chunk by chunk
        3 * 1024 * 1024,  # spooled to a temporary file first, then copied to MEDIA_ROOT
    ],
)
def test_a_full_disk_leaves_no_record_and_no_partial_file(client, world, small_disk, size):
    client.force_login(world.staff)
    response = post_progress(client, world, pdf_of(size))
    assert response.status_code == 200
    page = response.content.decode()
    assert DISK_FULL in page and "Traceback" not in page
    assert not ProgressUpdate.objects.exists()
    assert not ProgressUpdate.history.exists()
    assert stored_files(small_disk) == []

    # Space came back with the partial file gone: a small attachment is saved at once.
    response = post_progress(client, world, files.PDF_BYTES)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert [p.relative_to(small_disk).as_posix() for p in stored_files(small_disk)] == [
        update.attachment.name
    ]


def record_with(world, content: bytes):
    """A progress update of the world's activity through the service, with `content` attached."""
    return services.progress_record(
        activity=world.activity,
        reported_on=world.activity.start_date,
        status="in_progress",
        percent=10,
        author=world.staff,
        attachment=files.upload("a.pdf", content),
    )


class FullStorage(FileSystemStorage):
    """Writes the first 1,000 bytes, then fails the way a full disk does."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read(1000))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def test_storage_failing_with_enospc_gives_the_message_and_removes_the_partial_file(
    world, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = str(tmp_path)
    field = ProgressUpdate._meta.get_field("attachment")
    monkeypatch.setattr(field, "storage", FullStorage(location=tmp_path))
    with pytest.raises(ValidationError) as refused:
        record_with(world, pdf_of(5000))
    assert DISK_FULL in refused.value.message_dict["attachment"][0]
    assert not ProgressUpdate.objects.exists()
    assert stored_files(tmp_path) == []


def test_a_row_that_cannot_be_saved_takes_its_file_away(world, settings, tmp_path, monkeypatch):
    """The file is written, then the transaction fails (here after the INSERT): both go."""
    settings.MEDIA_ROOT = str(tmp_path)
    save = ProgressUpdate.save

    def broken_save(self, *args, **kwargs):
        save(self, *args, **kwargs)
        assert stored_files(tmp_path), "the file is written before the row"
        raise RuntimeError("database went away")

    monkeypatch.setattr(ProgressUpdate, "save", broken_save)
    with pytest.raises(RuntimeError):
        record_with(world, files.PDF_BYTES)
    assert not ProgressUpdate.objects.exists()
    assert stored_files(tmp_path) == []
    assert default_storage.location == str(tmp_path)
