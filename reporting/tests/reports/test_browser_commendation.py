"""The commendation form's cooperative picker in a real Chromium: typing part of a name without
tone marks lists the cooperatives of the program's province from /htx/tim/, the keyboard picks
one (arrow keys, Enter), and the form saves it; axe-core finds no serious violation with the
list open."""

import re

import pytest
from django.core.management import call_command

from config.tests.test_browser_phone import axe_violations
from conftest import browser_login
from coordination.management.commands.load_demo import DEMO_PASSWORD
from coordination.models import Program
from reporting.models import Commendation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_pick_a_cooperative_by_typing_part_of_its_name_without_tone_marks(page):
    call_command("load_demo")
    program = Program.objects.get(number="2993/QĐ-UBND")
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/bao-cao/khen-thuong/chuong-trinh/{program.pk}/")
    page.select_option("#id_recipient_kind", "cooperative")
    box = page.locator("#id_cooperative_0")
    assert box.get_attribute("role") == "combobox"
    box.click()
    box.press_sequentially("gia map", delay=30)
    option = page.locator("#id_cooperative_0_results [role=option]")
    option.first.wait_for()
    assert option.count() == 1 and "HTX Nông nghiệp Bù Gia Mập" in option.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    assert not axe_violations(page)
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")  # chooses; the form is not sent yet
    assert page.locator("#id_cooperative_0_results").is_hidden()
    assert box.input_value().startswith("HTX Nông nghiệp Bù Gia Mập — ")
    chosen = page.locator("#id_cooperative_1").input_value()
    assert chosen and Commendation.objects.filter(decision_number="88/QĐ-UBND").count() == 0

    page.select_option("#id_form", "giay_khen")
    page.fill("#id_authority", "Chủ tịch UBND tỉnh Đồng Nai")
    page.fill("#id_decision_number", "88/QĐ-UBND")
    page.fill("#id_decision_date", "15/12/2025")
    page.click("#commendation-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/bao-cao/khen-thuong/chuong-trinh/\d+/$"))
    saved = Commendation.objects.get(decision_number="88/QĐ-UBND")
    assert saved.cooperative.name == "HTX Nông nghiệp Bù Gia Mập"
    assert str(saved.cooperative_id) == chosen
