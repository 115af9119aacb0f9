"""Issue 12's journey, end to end in a real Chromium with a real SMTP server: a province starts
on its own. Đồng Nai's agency admin registers the coordination program from its signed PDF
(the five standard task areas, two phases) and an indicator with a target, invites a staff
member, who sets a password from the emailed link, logs in, starts the first yearly plan, adds
an activity and submits it; the managers of both party agencies see the bell count."""

import re

import pytest

from agencies.tests.factories import PASSWORD, MembershipFactory, UserFactory
from conftest import browser_login
from coordination.models import Program, YearlyPlan
from core.tests.helpers import run_worker

from . import files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "Hop-Luc-moi-2026"
STAFF_EMAIL = "binh@sdt.dongnai.gov.vn"


def log_out(page) -> None:
    page.click(".userbox button:has-text('Đăng xuất')")
    page.wait_for_url("**/dang-nhap/")


def register_program(page, world, tmp_path) -> Program:
    page.click("#register-program")
    page.wait_for_selector("form.setup-form")
    page.check(f"input[name=parties][value='{world.alliance.pk}']")
    page.fill("#id_number", "01/CTr-SDTTG-LMHTX")
    page.fill("#id_title", "Chương trình phối hợp công tác giai đoạn 2021–2030")
    page.fill("#id_signed_on", "11/03/2021")
    page.fill("#id_start_year", "2021")
    page.fill("#id_end_year", "2030")
    signed = tmp_path / "chuong-trinh-da-ky.pdf"
    signed.write_bytes(files.PDF_BYTES)
    page.set_input_files("#id_document", str(signed))
    page.click("form.setup-form button[type=submit]")
    page.wait_for_selector("#setup-body")
    program = Program.objects.get(number="01/CTr-SDTTG-LMHTX")
    assert page.locator("#task-areas .setup-item").count() == 5
    phases = page.inner_text("#phases")
    assert "2021–2025" in phases and "2026–2030" in phases

    page.click("#add-indicator")
    second_phase = program.phases.get(number=2)
    page.fill("#id_code", "CT1")
    page.fill("#id_name", "HTX mới thành lập vùng đồng bào DTTS và MN")
    page.fill("#id_unit", "HTX")
    page.select_option("#id_task_area", str(program.task_areas.get(number=4).pk))
    page.fill(f"#id_target_{second_phase.pk}", "2–3")
    page.click("form.setup-form button[type=submit]")
    page.wait_for_selector("#indicators tr:has-text('CT1')")
    assert program.indicators.get().targets.get().phase == second_phase
    return program


def invite(page, email: str) -> None:
    page.click(".userbox a.username")
    page.click("text=Quản lý thành viên")
    page.fill("#id_full_name", "Lê Văn Bình")
    page.fill("#id_email", email)
    page.select_option("#id_role", "staff")
    page.click("button:has-text('Gửi lời mời')")
    page.wait_for_selector(f"text=Đã gửi thư mời tới {email}")


def test_a_province_registers_invites_and_its_new_staff_submits_the_first_plan(
    page, agencies_world, smtp_server, tmp_path
):
    world = agencies_world
    MembershipFactory(user=UserFactory(username="dn_admin"), agency=world.ethnic, role="admin")
    browser_login(page, "dn_admin", PASSWORD)
    program = register_program(page, world, tmp_path)
    invite(page, STAFF_EMAIL)
    log_out(page)

    run_worker()  # the outbox sends the invitation
    (mail,) = smtp_server.inbox.to(STAFF_EMAIL)
    path = re.search(r"http://testserver(/\S+/)", mail.part("plain")).group(1)
    page.goto(f"{page.base_url}{path}")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("button:has-text('Đặt mật khẩu')")
    page.wait_for_url("**/dang-nhap/")

    browser_login(page, STAFF_EMAIL, NEW_PASSWORD)
    page.click(f"text={program.title}")
    page.click("#create-plan")
    page.fill("#id_year", "2026")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#plan-body")
    plan = YearlyPlan.objects.get(program=program, year=2026)

    area = program.task_areas.get(number=4)
    slot = f"#add-{area.pk}"
    page.click(f"#area-{area.pk} a.add-activity")
    page.wait_for_selector(f"{slot} form")
    page.fill(f"{slot} #id_title", "Hỗ trợ thành lập 2 HTX vùng đồng bào DTTS")
    page.fill(f"{slot} #id_start_date", "01/04/2026")
    page.fill(f"{slot} #id_end_date", "30/11/2026")
    page.fill(f"{slot} #id_planned_budget", "50.000.000")
    page.select_option(f"{slot} #id_budget_source", "local")
    page.click(f"{slot} button[type=submit]")
    page.wait_for_selector(f"#area-{area.pk} .activity-row")
    page.click("#submit-plan")
    page.wait_for_selector("#plan-body")
    plan.refresh_from_db()
    assert plan.status == YearlyPlan.Status.SUBMITTED
    log_out(page)

    for manager in ("manager", "alliance_manager"):
        browser_login(page, manager, PASSWORD)
        assert page.inner_text(".bell .bell-count") == "1"
        log_out(page)
