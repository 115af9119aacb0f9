"""Issue 16's roll-up journey in a real Chromium: Đồng Nai's two managers finalise the 2026 sơ
kết of a program carrying out the national one; the central manager hears of it, sees it on the
"who has reported" page of the period (Đồng Nai finalised, the national report not started) and
arrive on the national program's reports page, builds the national 2026 review from it and
downloads the .docx."""

import datetime
import io

import pytest
from docx import Document
from playwright.sync_api import expect

from agencies.tests.factories import PASSWORD
from conftest import ARTIFACTS, browser_login
from coordination import services as coordination_services
from coordination.tests.factories import make_activity, make_program
from reporting.models import Report
from reporting.reports import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_out(page) -> None:
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_url("**/dang-nhap/")


def test_a_province_sends_its_review_up_and_the_ministry_compiles_it(page, agencies_world):
    w = agencies_world
    national = make_program(
        title="Chương trình phối hợp giữa Bộ Dân tộc và Tôn giáo và Liên minh HTX Việt Nam",
        parties=[w.central, w.vca],
    )
    program = make_program(
        title="Chương trình phối hợp tỉnh Đồng Nai",
        parties=[w.ethnic, w.alliance],
        province=w.dong_nai,
        national_program=national,
    )
    plan = coordination_services.plan_create(program=program, year=2026)
    activity = make_activity(
        plan,
        lead_agency=w.ethnic,
        area_number=2,
        title="Hội nghị tuyên truyền Luật Hợp tác xã 2023",
        planned_budget=25_000_000,
        end_date=datetime.date(2026, 10, 30),
    )
    coordination_services.progress_record(
        activity=activity,
        reported_on=datetime.date(2026, 10, 30),
        status="done",
        percent=100,
        budget_spent=24_000_000,
        author=w.staff,
    )
    draft = services.report_generate(program=program, kind="annual", year=2026, by=w.staff)

    for manager in ("manager", "alliance_manager"):
        browser_login(page, manager, PASSWORD)
        page.goto(f"{page.base_url}{draft.get_absolute_url()}")
        page.click("#finalise")
        expect(page.locator("#finalisations")).to_contain_text("Đã xác nhận")
        log_out(page)
    draft.refresh_from_db()
    assert draft.status == Report.Status.FINALISED

    browser_login(page, "central_manager", PASSWORD)
    assert page.inner_text(".bell .bell-count") == "1"
    page.goto(
        f"{page.base_url}/bao-cao/tinh-hinh-bao-cao/?program={national.pk}&period=annual-2026"
    )
    expect(page.locator("#reporting-window")).to_contain_text("từ 15/12/2025 đến 14/12/2026")
    status = page.locator("#who-has-reported")
    expect(status.locator("tr", has_text=program.title)).to_contain_text("Đã hoàn thành")
    expect(status.locator("tr", has_text=national.title)).to_contain_text("Chưa lập")
    page.goto(f"{page.base_url}/bao-cao/so-ket-tong-ket/chuong-trinh/{national.pk}/")
    received = page.locator("table.received-reports")
    expect(received).to_contain_text("Đồng Nai")
    expect(received).to_contain_text("Đã báo cáo")
    page.select_option("#id_period", "annual:2026")
    page.click("#generate-form button[type=submit]")
    page.wait_for_url("**/so-ket-tong-ket/*/")
    expect(page.locator("#report-document")).to_contain_text("Kết quả của các tỉnh, thành phố")
    expect(page.locator("#report-document")).to_contain_text("Thông tin, tuyên truyền")
    link = page.locator(f"#report-document a[href='{draft.get_absolute_url()}']")
    expect(link).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "national_rollup.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#download-docx")
    doc = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kết quả của các tỉnh, thành phố" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "TP Đồng Nai" in cells and "25.000.000" in cells
