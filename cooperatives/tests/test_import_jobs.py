"""The /htx/nhap/ import as background jobs, run by the real worker: upload (checked in the
request) → preview job → confirm → import job → rows in the registry; who may see and confirm
what; the kept file's life."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from agencies.tests.factories import AgencyFactory, MembershipFactory, UserFactory, province
from cooperatives.models import Cooperative, CooperativeImport
from core.models import Job
from core.tests.helpers import run_worker

from .factories import CooperativeFactory
from .files import messy_row, messy_workbook, simple_workbook
from .test_views import provincial_admin, upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def send(client, data: bytes, name: str = "ds.xlsx", **fields) -> CooperativeImport:
    """Upload a list; the answer sends the user to the upload's page."""
    response = client.post(reverse("cooperatives:import"), {"file": upload(name, data), **fields})
    assert response.status_code == 302, response.content.decode()
    kept = CooperativeImport.objects.latest("pk")
    assert response.url == kept.get_absolute_url()
    return kept


def show(client, kept: CooperativeImport, **headers) -> str:
    response = client.get(kept.get_absolute_url(), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def confirm(client, kept: CooperativeImport):
    return client.post(reverse("cooperatives:import_confirm", args=[kept.pk]), follow=True)


def test_upload_preview_confirm_and_import_run_in_the_worker(client, agencies_world):
    client.force_login(agencies_world.admin)  # central admin: any province
    data = messy_workbook([messy_row(1), messy_row(2, **{"Tỉnh": "Kon Tum"})])
    kept = send(client, data, name="Danh sách HTX.xlsx")
    stored = kept.file.name
    assert default_storage.exists(stored) and kept.name == "Danh sách HTX.xlsx"
    assert kept.preview_job.owner == agencies_world.admin

    # Queued: a progress bar that polls this page, a link and a refresh without JavaScript.
    page = show(client, kept)
    assert "Đang chờ" in page and "<progress" in page and "confirm-import" not in page
    assert f'hx-get="{kept.get_absolute_url()}"' in page
    assert f'href="{kept.get_absolute_url()}">Cập nhật tiến độ' in page
    assert '<noscript><meta http-equiv="refresh"' in page

    run_worker()

    preview = Job.objects.get(pk=kept.preview_job_id)
    assert preview.status == Job.Status.SUCCEEDED, preview.error
    assert preview.summary["new"] == 2 and preview.summary["ok"] is True
    assert (preview.done, preview.total) == (2, 2)
    assert not Cooperative.objects.exists()
    partial = show(client, kept, HX_Request="true")  # what htmx swaps in: no page around it
    assert "<html" not in partial and "hx-trigger" not in partial
    assert 'id="count-new">2<' in partial and 'id="count-skipped">4<' in partial
    assert "Mã bưu chính" in partial  # ignored columns are listed
    assert "confirm-import" in partial and "http-equiv" not in show(client, kept)

    response = confirm(client, kept)
    assert response.redirect_chain[-1][0] == kept.get_absolute_url()
    assert "Nhập danh sách HTX" in response.content.decode()
    kept.refresh_from_db()
    assert kept.import_job.status == Job.Status.QUEUED and not Cooperative.objects.exists()

    run_worker()

    kept.refresh_from_db()
    job = kept.import_job
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Cooperative.objects.count() == 2
    assert Cooperative.objects.get(name="HTX Nông nghiệp số 2").province == province("51")
    assert job.display_message.startswith("Đã nhập danh sách HTX: 2 mới, 0 cập nhật, 0 không đổi")
    assert job.summary["new"] == 2 and job.summary["errors"] == []
    page = show(client, kept)
    assert "Đã nhập danh sách HTX: 2 mới" in page
    assert f'id="to-registry" href="{reverse("cooperatives:list")}"' in page
    # The kept file is deleted once imported.
    assert not kept.file and not default_storage.exists(stored)

    # Confirming twice imports nothing more.
    response = confirm(client, kept)
    assert "đã được xác nhận nhập rồi" in response.content.decode()
    assert Job.objects.count() == 2 and Cooperative.objects.count() == 2


def test_a_preview_with_errors_offers_only_upload_again(client, agencies_world):
    client.force_login(agencies_world.admin)
    data = messy_workbook(
        [messy_row(1, **{"Số sao OCOP": "9"}), messy_row(2, **{"Mã số thuế": "12"})]
    )
    kept = send(client, data)
    run_worker()
    page = show(client, kept)
    assert 'id="count-errors">2<' in page and "confirm-import" not in page
    assert '<td class="num">6</td><td>Q “Số sao OCOP”</td>' in page
    assert '<td class="num">7</td><td>B “Mã số thuế”</td>' in page
    assert "Tải tệp lên lại" in page
    response = confirm(client, kept)
    assert "Bản xem trước có lỗi" in response.content.decode()
    kept.refresh_from_db()
    assert kept.import_job is None and not Cooperative.objects.exists()


def test_a_file_without_a_header_is_reported_by_the_preview(client, agencies_world):
    client.force_login(agencies_world.admin)
    kept = send(client, simple_workbook(["a", "b"], [["1", "2"]]))
    run_worker()
    page = show(client, kept)
    assert 'id="count-errors">1<' in page and "confirm-import" not in page
    assert '<td class="num">—</td>' in page


def test_the_error_list_kept_is_bounded(client, agencies_world):
    client.force_login(agencies_world.admin)
    rows = [messy_row(n, **{"Số sao OCOP": "9"}) for n in range(1, 251)]
    kept = send(client, messy_workbook(rows))
    run_worker()
    summary = Job.objects.get(pk=kept.preview_job_id).summary
    assert summary["error_count"] == 250 and len(summary["errors"]) == 200
    page = show(client, kept)
    assert 'id="count-errors">250<' in page
    assert "Chỉ hiện 200 lỗi đầu tiên trong tổng số 250 lỗi." in page


def test_only_the_uploader_sees_and_confirms_the_upload(client, agencies_world):
    client.force_login(agencies_world.admin)
    kept = send(client, messy_workbook([messy_row(1)]))
    run_worker()
    other_admin = MembershipFactory(
        user=UserFactory(username="qt.quangngai"),
        agency=agencies_world.other_alliance,
        role=Membership.Role.ADMIN,
    ).user
    another_central_admin = MembershipFactory(
        user=UserFactory(username="qt.trunguong"),
        agency=agencies_world.vca,
        role=Membership.Role.ADMIN,
    ).user
    for user in [other_admin, another_central_admin]:
        client.force_login(user)
        assert client.get(kept.get_absolute_url()).status_code == 404
        response = client.post(reverse("cooperatives:import_confirm", args=[kept.pk]))
        assert response.status_code == 404
        assert client.get(kept.preview_job.get_absolute_url()).status_code == 404
    client.force_login(agencies_world.staff)
    assert client.get(kept.get_absolute_url()).status_code == 403
    kept.refresh_from_db()
    assert kept.import_job is None and not Cooperative.objects.exists()


def test_confirming_an_older_preview_after_a_newer_upload_is_refused(client, agencies_world):
    client.force_login(agencies_world.admin)
    first = send(client, messy_workbook([messy_row(1)]), name="a.xlsx")
    run_worker()
    first_file = first.file.name
    second = send(client, messy_workbook([messy_row(2)]), name="b.xlsx")
    first.refresh_from_db()
    assert not first.file and not default_storage.exists(first_file)  # replaced: deleted
    assert default_storage.exists(second.file.name)
    page = show(client, first)
    assert "confirm-import" not in page and "không còn xác nhận được" in page
    response = confirm(client, first)
    assert "Bạn đã tải lên một tệp khác sau tệp này" in response.content.decode()
    first.refresh_from_db()
    assert first.import_job is None
    run_worker()
    confirm(client, second)
    run_worker()
    assert list(Cooperative.objects.values_list("name", flat=True)) == ["HTX Nông nghiệp số 2"]


def test_a_preview_replaced_while_it_waits_fails_with_a_message(client, agencies_world):
    client.force_login(agencies_world.admin)
    first = send(client, messy_workbook([messy_row(1)]), name="a.xlsx")
    send(client, messy_workbook([messy_row(2)]), name="b.xlsx")
    run_worker()
    job = Job.objects.get(pk=first.preview_job_id)
    assert job.status == Job.Status.FAILED and "Tệp không còn nữa" in job.message


def test_confirming_before_the_preview_finished_is_refused(client, agencies_world):
    client.force_login(agencies_world.admin)
    kept = send(client, messy_workbook([messy_row(1)]))
    response = confirm(client, kept)
    assert "Chưa kiểm tra xong tệp" in response.content.decode()
    kept.refresh_from_db()
    assert kept.import_job is None


def test_the_right_to_import_is_checked_again_when_the_import_runs(client, agencies_world):
    admin = provincial_admin(agencies_world)
    client.force_login(admin)
    data = simple_workbook(["Mã số HTX", "Tên HTX"], [["3800100001", "HTX A"]])
    kept = send(client, data, province=agencies_world.dong_nai.pk)
    run_worker()
    confirm(client, kept)
    Membership.objects.filter(user=admin).update(role=Membership.Role.STAFF)
    run_worker()
    kept.refresh_from_db()
    assert kept.import_job.status == Job.Status.FAILED
    assert "không còn quyền nhập" in kept.import_job.message
    assert not Cooperative.objects.exists() and not kept.file  # the file is deleted anyway
    assert client.get(kept.get_absolute_url()).status_code == 403


def test_an_import_that_finds_new_errors_writes_nothing_and_keeps_the_report(
    client, agencies_world
):
    """Between preview and import another province registered one of the codes: the import
    job fails, nothing is written and the page shows why."""
    client.force_login(provincial_admin(agencies_world))
    data = simple_workbook(
        ["Mã số HTX", "Tên HTX"], [["3800100001", "HTX A"], ["3800100002", "HTX B"]]
    )
    kept = send(client, data, province=agencies_world.dong_nai.pk)
    run_worker()
    confirm(client, kept)
    CooperativeFactory(registration_code="3800100002", province=agencies_world.quang_ngai)
    run_worker()
    kept.refresh_from_db()
    job = kept.import_job
    assert job.status == Job.Status.FAILED and "chưa ghi dòng nào" in job.display_message
    assert job.summary["error_count"] == 1
    assert Cooperative.objects.count() == 1  # only the other province's
    page = show(client, kept)
    assert "thuộc tỉnh khác" in page and "Tải tệp lên lại" in page and "to-registry" not in page


def test_provincial_admin_imports_only_their_province(client, agencies_world):
    client.force_login(provincial_admin(agencies_world))
    data = simple_workbook(
        ["Mã số HTX", "Tên HTX", "Tỉnh"],
        [
            ["3800100001", "HTX A", "Bình Phước"],
            ["3800100002", "HTX B", "Kon Tum"],
            ["3800100003", "HTX C", None],
        ],
    )
    kept = send(client, data, province=agencies_world.dong_nai.pk)
    run_worker()
    page = show(client, kept)
    assert 'id="count-errors">1<' in page and "dòng này thuộc Quảng Ngãi" in page
    data = simple_workbook(["Mã số HTX", "Tên HTX"], [["3800100001", "HTX A"]])
    kept = send(client, data, province=agencies_world.dong_nai.pk)
    run_worker()
    confirm(client, kept)
    run_worker()
    assert Cooperative.objects.get().province == province("75")


def test_provincial_admin_cannot_take_over_another_provinces_cooperative(client, agencies_world):
    CooperativeFactory(registration_code="5100100001", province=agencies_world.quang_ngai)
    client.force_login(provincial_admin(agencies_world))
    data = simple_workbook(["Mã số HTX", "Tên HTX", "Tỉnh"], [["5100100001", "HTX X", "Đồng Nai"]])
    kept = send(client, data)
    run_worker()
    assert "thuộc tỉnh khác" in show(client, kept)


def test_admin_of_an_old_agency_imports_for_its_successor_province(client, agencies_world):
    user = MembershipFactory(
        user=UserFactory(username="qt.binhphuoc"),
        agency=AgencyFactory(name="Liên minh HTX Bình Phước", province=agencies_world.binh_phuoc),
        role=Membership.Role.ADMIN,
    ).user
    client.force_login(user)
    data = simple_workbook(["Mã số HTX", "Tên HTX", "Tỉnh"], [["3800100001", "HTX A", "Đồng Nai"]])
    kept = send(client, data)
    run_worker()
    assert 'id="count-new">1<' in show(client, kept)


def test_upload_and_upload_page_within_query_budgets(
    client, agencies_world, django_assert_max_num_queries
):
    client.force_login(agencies_world.admin)
    data = messy_workbook([messy_row(n) for n in range(1, 101)])
    with django_assert_max_num_queries(25):
        kept = send(client, data)
    with django_assert_max_num_queries(12):
        show(client, kept, HX_Request="true")
    run_worker()
    with django_assert_max_num_queries(12):
        show(client, kept)


def test_the_jobs_make_no_query_per_row(client, agencies_world, django_assert_max_num_queries):
    """3,000 rows previewed and imported: the codes are looked up in batches, progress is
    written every 1,000 rows, the preview writes nothing and the import writes multi-row
    INSERTs (31 rows each on SQLite, whose driver takes 999 parameters)."""
    client.force_login(agencies_world.admin)
    kept = send(client, messy_workbook([messy_row(n) for n in range(1, 3001)]))
    # A job's end notifies its owner (notifications: the notification, its email queued, then
    # sent by the same worker run): a fixed cost, whatever the rows.
    notified = 10
    # Placing the file's written communes in today's (CommuneIndex): its province's communes,
    # their links and former names loaded once, and the province's current unit; none per row.
    communes = 5
    with django_assert_max_num_queries(40 + notified + communes):
        run_worker()
    confirm(client, kept)
    with django_assert_max_num_queries(40 + notified + communes + 3000 // 31 + 1):
        run_worker()
    assert Cooperative.objects.count() == 3000


def test_purge_import_files_deletes_old_never_confirmed_files(client, agencies_world):
    client.force_login(agencies_world.admin)
    old = send(client, messy_workbook([messy_row(1)]))
    run_worker()
    confirm(client, old)  # queued import: its file is kept whatever its age
    other = provincial_admin(agencies_world)
    client.force_login(other)
    abandoned = send(client, messy_workbook([messy_row(2)]), province=agencies_world.dong_nai.pk)
    recent = send(
        client,
        simple_workbook(["Mã số HTX", "Tên HTX"], [["3800100003", "HTX C"]]),
        name="c.xlsx",
    )
    CooperativeImport.objects.filter(pk__in=[old.pk, abandoned.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    abandoned.refresh_from_db()
    abandoned_file = abandoned.file.name
    # `recent` replaced `abandoned`, so take the file back to test the age rule alone.
    CooperativeImport.objects.filter(pk=abandoned.pk).update(file=abandoned_file or "x.xlsx")
    default_storage.save(abandoned_file or "x.xlsx", upload("x.xlsx", b"x"))
    call_command("purge_import_files", days=2, verbosity=0)
    for kept in (old, abandoned, recent):
        kept.refresh_from_db()
    assert not abandoned.file
    assert old.file and default_storage.exists(old.file.name)
    assert recent.file and default_storage.exists(recent.file.name)


def test_the_preview_shows_new_rows_changed_fields_and_skipped_rows_with_why(
    client, agencies_world
):
    CooperativeFactory(
        registration_code="3800100001", name="HTX Cũ", province=agencies_world.dong_nai
    )
    client.force_login(agencies_world.admin)
    data = simple_workbook(
        ["Mã số HTX", "Tên HTX", "Tỉnh"],
        [
            ["3800100001", "HTX Dâu tằm Mới", "Đồng Nai"],
            ["3800100002", "HTX Hai", "Đồng Nai"],
            ["Tổng cộng", "", ""],
        ],
    )
    kept = send(client, data)
    run_worker()
    page = show(client, kept)
    rows = page.split('id="import-rows"')[1].split("</table>")[0]
    assert "3800100002" in rows and "Mới</span>" in rows
    assert "HTX Cũ → <strong>HTX Dâu tằm Mới</strong>" in rows
    assert "Dòng 4: dòng tổng cộng" in page
    assert not Cooperative.objects.filter(name="HTX Dâu tằm Mới").exists()  # nothing written
