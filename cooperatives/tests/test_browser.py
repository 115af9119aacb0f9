"""An admin imports a provincial list in a real Chromium (`make test-browser`): the preview and
the import run in the background worker while the page follows them without a reload."""

import pytest

from agencies.tests.factories import PASSWORD
from conftest import ARTIFACTS, browser_login
from cooperatives.models import Cooperative
from core.tests.helpers import run_worker

from .files import messy_row, messy_workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_admin_previews_confirms_and_finds_the_imported_cooperatives(
    page, agencies_world, tmp_path
):
    path = tmp_path / "danh-sach-htx-dong-nai.xlsx"
    rows = [
        messy_row(1),
        messy_row(2, **{"Tên hợp tác xã": "HTX Dệt thổ cẩm Mường Chang", "Tỉnh": "Hà Giang"}),
    ]
    path.write_bytes(messy_workbook(rows))

    browser_login(page, agencies_world.admin.username, PASSWORD)
    page.click("nav >> text=Hợp tác xã")
    page.click("text=Nhập từ Excel")
    page.set_input_files("#id_file", str(path))
    page.click("text=Kiểm tra tệp")
    page.wait_for_url("**/htx/nhap/*/")
    assert "Đang chờ" in page.inner_text(".job")
    run_worker()  # beside the live server; the page polls and shows the preview
    page.wait_for_selector("#count-new", timeout=15_000)
    assert page.inner_text("#count-new") == "2"
    assert page.inner_text("#count-errors") == "0"
    page.screenshot(path=str(ARTIFACTS / "cooperative_import_preview.png"), full_page=True)
    assert not Cooperative.objects.exists()

    page.click("#confirm-import")
    page.wait_for_selector(".job")
    run_worker()
    page.wait_for_selector("#to-registry", timeout=15_000)
    assert "Đã nhập danh sách HTX: 2 mới" in page.inner_text(".job")
    page.screenshot(path=str(ARTIFACTS / "cooperative_import_done.png"), full_page=True)
    page.click("#to-registry")
    page.wait_for_url(f"{page.base_url}/htx/")
    page.screenshot(path=str(ARTIFACTS / "cooperative_list.png"), full_page=True)
    page.fill("#id_q", "muong chang")
    page.click("text=Lọc")
    assert page.locator("#cooperatives tbody tr").count() == 1
    page.click("text=HTX Dệt thổ cẩm Mường Chang")
    assert "Tuyên Quang" in page.inner_text(".facts")
    page.screenshot(path=str(ARTIFACTS / "cooperative_detail.png"), full_page=True)
