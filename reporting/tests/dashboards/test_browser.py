"""The manager's journey through the dashboards in a real Chromium (`make test-browser`)."""

import re

import pytest
from django.core.management import call_command

from conftest import ARTIFACTS, browser_login
from coordination.management.commands.load_demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_manager_filters_by_province_and_year_and_opens_the_list_behind_a_number(page):
    call_command("load_demo")
    # A small national set around the demo, so the overview looks like a real one.
    call_command("generate_scale_data", scale=0.02, seed=5)
    browser_login(page, "trunguong", DEMO_PASSWORD)
    page.click("nav.mainnav >> text=Tổng quan")
    page.wait_for_url("**/bao-cao/")
    page.wait_for_selector("#table-areas canvas")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_overview.png"))

    page.select_option("#id_province", label="An Giang")  # Kiên Giang's plans roll up here
    page.select_option("#id_year", "2024")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*/bao-cao/\?.*year=2024.*"))
    assert "province=" in page.url

    done = page.locator("#table-areas tfoot a").nth(2)  # the 'Hoàn thành' total
    expected = done.inner_text()
    assert int(expected.replace(".", "")) > 0
    done.click()
    page.wait_for_url(re.compile(r".*/bao-cao/hoat-dong/\?.*status=done.*"))
    assert "year=2024" in page.url and "province=" in page.url
    assert page.locator("#result-count strong").inner_text() == expected
    statuses = page.locator("#activity-list tbody td:nth-child(7)").all_inner_texts()
    assert statuses and all(s.startswith("Hoàn thành") for s in statuses)
    page.screenshot(path=str(ARTIFACTS / "dashboard_activity_list.png"), full_page=True)
