"""A province starts on its own, in a real Chromium on a phone-sized screen: Đồng Nai's manager
registers its coordination program from the signed PDF (five standard task areas, two phases),
adds, rewords and moves a task area in place (htmx) and an indicator with a phase target, then starts the first
yearly plan from it."""

import pytest

from agencies.tests.factories import PASSWORD
from conftest import ARTIFACTS, browser_login
from coordination.models import Program, YearlyPlan

from . import files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_manager_registers_a_program_and_starts_its_first_plan(page, agencies_world, tmp_path):
    world = agencies_world
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, world.manager.username, PASSWORD)
    page.click("#register-program")
    page.wait_for_selector("form.setup-form")
    form_box = page.locator("form.setup-form").bounding_box()
    assert form_box["x"] + form_box["width"] <= 390  # one column, inside a phone's screen

    # Their own agency and province come chosen; the other party is ticked.
    assert page.input_value("#id_province") == str(world.dong_nai.pk)
    assert page.is_checked(f"input[name=parties][value='{world.ethnic.pk}']")
    page.check(f"input[name=parties][value='{world.alliance.pk}']")
    page.fill("#id_number", "01/CTr-SDTTG-LMHTX")
    page.fill("#id_title", "Chương trình phối hợp công tác giai đoạn 2021–2030")
    page.fill("#id_signed_on", "11/03/2021")
    page.fill("#id_start_year", "2021")
    page.fill("#id_end_year", "2030")
    page.fill("#id_legal_basis", "Quyết định 1719/QĐ-TTg ngày 14/10/2021")
    signed = tmp_path / "CTr phối hợp đã ký.pdf"
    signed.write_bytes(files.PDF_BYTES)
    page.set_input_files("#id_document", str(signed))
    assert page.is_checked("#id_standard_task_areas") and page.is_checked("#id_standard_phases")
    page.click("form.setup-form button[type=submit]")
    page.wait_for_selector("#setup-body")

    program = Program.objects.get(number="01/CTr-SDTTG-LMHTX")
    assert program.task_areas.count() == 5
    assert page.locator("#task-areas .setup-item").count() == 5
    phases = page.inner_text("#phases")
    assert "Giai đoạn 1: 2021–2025" in phases and "Giai đoạn 2: 2026–2030" in phases
    assert "CTr phối hợp đã ký.pdf" in page.inner_text("#program-document")

    # A sixth task area, added in place.
    url = page.url
    page.fill("#add-task-area textarea", "Chuyển đổi số kinh tế tập thể")
    page.click("#add-task-area button[type=submit]")
    page.wait_for_selector("#task-areas .setup-item:has-text('Chuyển đổi số kinh tế tập thể')")
    assert page.url == url
    assert program.task_areas.count() == 6
    # Reworded in place, then moved up one place.
    added = program.task_areas.get(number=6)
    page.click(f"#area-{added.pk} >> text=Sửa")
    page.fill(".setup-inline textarea", "Chuyển đổi số, thương mại điện tử")
    page.click(".setup-inline button[type=submit]")
    page.wait_for_selector("#task-areas .setup-item:has-text('thương mại điện tử')")
    page.click(f"#area-{added.pk} button[aria-label='Chuyển lên']")
    page.wait_for_selector("#task-areas .setup-item:nth-child(5):has-text('thương mại điện tử')")
    assert page.url == url
    added.refresh_from_db()
    assert added.number == 5

    # An indicator with a target for the first phase; a wrong target is said on its field.
    page.click("#add-indicator")
    phase1 = program.phases.get(number=1)
    page.fill("#id_code", "CT1")
    page.fill("#id_name", "HTX mới thành lập vùng đồng bào DTTS và MN")
    page.fill("#id_unit", "HTX")
    page.select_option("#id_task_area", str(program.task_areas.get(number=4).pk))
    page.fill(f"#id_target_{phase1.pk}", "một")
    page.click("form.setup-form button[type=submit]")
    page.wait_for_selector(f"#id_target_{phase1.pk}_error")
    page.fill(f"#id_target_{phase1.pk}", "01")
    page.click("form.setup-form button[type=submit]")
    page.wait_for_selector("#indicators tr:has-text('CT1')")
    assert "≥ 1" in page.inner_text("#indicators")
    assert program.indicators.get().targets.get().phase == phase1
    page.screenshot(path=str(ARTIFACTS / "program_setup.png"), full_page=True)

    # The first yearly plan, from the program's page.
    page.click("text=Về trang chương trình")
    page.click("#create-plan")
    page.fill("#id_year", "2021")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#plan-body")
    plan = YearlyPlan.objects.get(program=program, year=2021)
    assert page.url.endswith(plan.get_absolute_url())
    assert page.locator("#plan-body section.task-area").count() == 6
