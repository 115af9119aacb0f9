"""A background job's owner is told when it finishes or fails (core.jobs.job_ended)."""

import pytest

from agencies.models import NotificationKind
from core import jobs
from core.tests.helpers import run_worker
from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@jobs.job_task()
def finishes(job, *, fail: bool) -> dict:
    if fail:
        raise jobs.JobError("Tệp có 3 dòng lỗi; chưa nhập dòng nào.")
    jobs.finish_message(job, "Đã nhập 12 hợp tác xã.")
    return {}


def test_the_owner_hears_that_the_job_finished_or_failed(world, smtp_server):
    done = jobs.start(finishes, owner=world.staff, title="Nhập danh sách HTX", fail=False)
    failed = jobs.start(finishes, owner=world.staff, title="Nhập lần hai", fail=True)
    run_worker()
    notes = {n.url: n for n in Notification.objects.filter(kind=NotificationKind.JOB)}
    assert notes[done.get_absolute_url()].title == "Đã xong: Nhập danh sách HTX"
    assert notes[done.get_absolute_url()].body == "Đã nhập 12 hợp tác xã."
    assert notes[failed.get_absolute_url()].title == "Không thành công: Nhập lần hai"
    assert {n.user for n in notes.values()} == {world.staff}
    run_worker()  # the emails queued by the jobs
    subjects = sorted(r.subject for r in smtp_server.inbox.to("staff@example.vn"))
    assert subjects == [
        "[Hợp Lực] Không thành công: Nhập lần hai",
        "[Hợp Lực] Đã xong: Nhập danh sách HTX",
    ]
