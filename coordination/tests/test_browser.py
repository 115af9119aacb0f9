"""User journeys in a real Chromium (`make test-browser`)."""

import pytest
from django.core.management import call_command

from conftest import ARTIFACTS, browser_login
from coordination.management.commands.load_demo import DEMO_PASSWORD
from coordination.models import Program

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_logs_in_opens_a_program_and_sees_its_task_areas(page):
    call_command("load_demo")
    program = Program.objects.get(number="2993/QĐ-UBND")
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.click(f"text={program.title}")
    page.wait_for_url(f"**{program.get_absolute_url()}")
    areas = page.locator("#task-areas li").all_inner_texts()
    assert areas == [area.title for area in program.task_areas.all()]
    page.screenshot(path=str(ARTIFACTS / "program_detail.png"), full_page=True)
