"""The report journey in a real Chromium: staff generate the 2024 sơ kết of the Bình Phước
scheme, write the lessons learned, the two managers finalise, the .docx downloads and the .xlsx
appendix is built in the background while its page follows the progress."""

import io

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import ARTIFACTS, browser_login
from coordination.management.commands.load_demo import DEMO_PASSWORD
from coordination.models import Program
from core.tests.helpers import run_worker
from reporting.models import Report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LESSONS = "Phối hợp chặt chẽ giữa hai cơ quan ngay từ khâu xây dựng kế hoạch năm."


def log_out(page) -> None:
    page.click("button:has-text('Đăng xuất')")


def test_staff_generate_the_2024_review_managers_finalise_and_the_docx_downloads(page):
    call_command("load_demo")
    program = Program.objects.get(number="2993/QĐ-UBND")
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.click(f"text={program.title}")
    page.click("#program-reports")
    page.select_option("#id_period", "annual:2024")
    page.click("#generate-form button[type=submit]")
    page.wait_for_url("**/so-ket-tong-ket/*/")
    report = Report.objects.get(program=program, year=2024)
    expect(page.locator(".doc-subject")).to_have_text(f"Sơ kết năm 2024 thực hiện {program.title}")
    expect(page.locator("#report-status")).to_have_text("Dự thảo")

    page.locator("#section-lessons a").click()
    page.locator("textarea[name=text]").fill(LESSONS)
    page.click("button:has-text('Lưu')")
    expect(page.locator("#section-lessons")).to_contain_text(LESSONS)
    page.screenshot(path=str(ARTIFACTS / "report_draft.png"), full_page=True)
    log_out(page)

    for manager in ("lanhdao", "lanhdao.lmhtx"):
        browser_login(page, manager, DEMO_PASSWORD)
        page.goto(f"{page.base_url}{report.get_absolute_url()}")
        page.click("#finalise")
        expect(page.locator("#finalisations")).to_contain_text("Đã xác nhận")
        log_out(page)

    browser_login(page, "canbo", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{report.get_absolute_url()}")
    expect(page.locator("#report-status")).to_have_text("Đã hoàn thành")
    expect(page.locator("#finalisations")).not_to_contain_text("Chưa xác nhận")
    with page.expect_download() as download:
        page.click("#download-docx")
    path = download.value.path()
    doc = Document(io.BytesIO(open(path, "rb").read()))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in paragraphs and LESSONS in paragraphs
    assert download.value.suggested_filename.endswith(".docx")
    page.screenshot(path=str(ARTIFACTS / "report_finalised.png"), full_page=True)

    page.click("#download-xlsx")
    page.wait_for_url("**/cong-viec/*/")
    assert "Đang chờ" in page.inner_text(".job")
    run_worker()  # beside the live server; the page polls and shows the file without a reload
    page.wait_for_selector("text=Tải tệp kết quả", timeout=15_000)
    assert "Phụ lục đã sẵn sàng để tải về." in page.inner_text(".job")
    with page.expect_download() as appendix:
        page.click("text=Tải tệp kết quả")
    assert appendix.value.suggested_filename.startswith("phu-luc-so-ket-nam-2024")
    book = load_workbook(io.BytesIO(open(appendix.value.path(), "rb").read()))
    assert book.sheetnames[:2] == ["Tổng hợp", "Chỉ tiêu"]
