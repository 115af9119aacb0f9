"""Journeys in a real Chromium: the pages pass the Content Security Policy (no violation is
reported by the browser), and a background job's progress updates in place through htmx."""

import pytest
from django.core.management import call_command

from conftest import ARTIFACTS, browser_login
from coordination.management.commands.load_demo import DEMO_PASSWORD
from coordination.models import Program
from core.models import Job
from core.tests.helpers import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def watch_csp(page) -> list[str]:
    """Collect the browser's Content Security Policy complaints for this tab."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_pages_pass_the_content_security_policy(page):
    call_command("load_demo")
    violations = watch_csp(page)
    program = Program.objects.get(number="2993/QĐ-UBND")
    plan = program.plans.order_by("year").first()
    browser_login(page, "quantri", DEMO_PASSWORD)
    for path in [
        "/",
        program.get_absolute_url(),
        plan.get_absolute_url(),
        "/cong-viec/",
        "/quan-tri/",
        "/quan-tri/coordination/program/",
        f"/quan-tri/coordination/program/{program.pk}/change/",
        "/khong-co-trang-nay/",
    ]:
        page.goto(f"{page.base_url}{path}")
        page.wait_for_load_state("networkidle")
    # The language selector submits itself from static/js/app.js, not an inline handler.
    page.goto(f"{page.base_url}/")
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert not violations, violations


def test_the_job_page_updates_itself_until_the_file_is_ready(page):
    call_command("load_demo")
    violations = watch_csp(page)
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.click("text=Xuất Excel (chạy nền)")
    page.wait_for_url("**/cong-viec/*/")
    assert "Đang chờ" in page.inner_text(".job")
    run_worker()  # the worker runs beside the live server, the page is not reloaded
    page.wait_for_selector("text=Tải tệp kết quả", timeout=15_000)
    assert "Hoàn thành" in page.inner_text(".job")
    page.screenshot(path=str(ARTIFACTS / "job_done.png"), full_page=True)
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    with page.expect_download() as download:
        page.click("text=Tải tệp kết quả")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert not violations, violations
