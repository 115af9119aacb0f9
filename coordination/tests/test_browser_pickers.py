"""The searchable pickers of the activity form in a real Chromium: the supporting agencies and
cooperatives are a search box over checkboxes (tone-insensitive), and the form submits them."""

import re

import pytest
from django.core.management import call_command

from conftest import browser_login
from coordination import services
from coordination.management.commands.load_demo import DEMO_PASSWORD
from coordination.models import Activity, Program

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_find_a_cooperative_without_tone_marks_and_tick_it(page):
    call_command("load_demo")
    program = Program.objects.get(number="2993/QĐ-UBND")
    taken = set(program.plans.values_list("year", flat=True))
    year = next(y for y in program.years if y not in taken)
    plan = services.plan_create(program=program, year=year)
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/ke-hoach/{plan.pk}/hoat-dong/them/")
    assert page.locator("#id_cooperatives").is_hidden()  # the picker replaces it
    page.fill("#id_cooperatives_search", "bu gia map")
    visible = page.locator(".field-cooperatives .picker-list li:visible")
    assert visible.count() == 1 and "Bù Gia Mập" in visible.inner_text()
    visible.locator("input[type=checkbox]").check()
    page.select_option("#id_task_area", index=1)
    page.select_option("#id_lead_agency", index=1)
    page.fill("#id_title", "Tập huấn cho HTX")
    page.fill("#id_start_date", f"01/04/{year}")
    page.fill("#id_end_date", f"30/06/{year}")
    page.fill("#id_planned_budget", "0")
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/ke-hoach/\d+/(\?.*)?(#.*)?$"))
    activity = Activity.objects.get(plan=plan, title="Tập huấn cho HTX")
    assert [c.name for c in activity.cooperatives.all()] == ["HTX Nông nghiệp Bù Gia Mập"]
