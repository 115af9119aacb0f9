"""Phones and accessibility in a real Chromium (`make test-browser`): at 375 × 800 every page
staff use from a commune fits the screen (wide tables scroll inside their own box) and axe-core
(vendored, static/vendor/axe/) finds no serious or critical WCAG 2.1 AA violation; at 1280 px the
top menu fits on one line for every demo role and the plan totals show all their columns."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from conftest import ARTIFACTS, browser_login
from coordination.management.commands.load_demo import DEMO_PASSWORD
from coordination.models import Program
from reporting.reports.services import report_generate
from reporting.reports.snapshot import ANNUAL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations of the page, one line each (rule: targets).
    The script is loaded from our own static files, which the Content Security Policy allows."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def phone_pages(program) -> list[str]:
    plan = program.plans.order_by("year").first()
    activity = plan.activities.order_by("pk").first()
    user = get_user_model().objects.get(username="canbo")
    report = report_generate(program=program, kind=ANNUAL, year=2024, by=user)
    return [
        "/",
        program.get_absolute_url(),
        plan.get_absolute_url(),
        activity.get_absolute_url(),
        f"/hoat-dong/{activity.pk}/tien-do/",
        "/ke-hoach/cua-toi/",
        "/ke-hoach/cho-duyet/",
        "/hoat-dong/qua-han/",
        "/bao-cao/",
        f"/bao-cao/chuong-trinh/{program.pk}/",
        "/bao-cao/hoat-dong/",
        "/bao-cao/ke-hoach/",
        "/bao-cao/htx/",
        "/htx/",
        "/bao-cao/so-ket-tong-ket/",
        report.get_absolute_url(),
        "/cong-viec/",
    ]


def test_staff_pages_fit_a_phone_and_pass_axe(page):
    call_command("load_demo")
    program = Program.objects.get(number="2993/QĐ-UBND")
    paths = phone_pages(program)
    page.set_viewport_size({"width": 375, "height": 800})
    browser_login(page, "canbo", DEMO_PASSWORD)
    problems = []
    for path in paths:
        page.goto(f"{page.base_url}{path}")
        page.wait_for_load_state("networkidle")
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            problems.append(f"{path}: {wide}px wider than the screen")
        problems += [f"{path} {v}" for v in axe_violations(page)]
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{page.base_url}{paths[2]}")
    page.screenshot(path=str(ARTIFACTS / "phone_plan.png"))
    assert not problems, "\n".join(problems)


def test_the_phone_menu_folds_into_its_button(page):
    call_command("load_demo")
    page.set_viewport_size({"width": 375, "height": 800})
    browser_login(page, "canbo", DEMO_PASSWORD)
    link = page.locator("nav.mainnav >> text=Tổng quan")
    assert not link.is_visible()
    page.click(".navmenu > summary")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/bao-cao/")
    # The login page (no user) passes axe too.
    page.click(".navmenu > summary")
    page.click("button:has-text('Đăng xuất')")
    page.goto(f"{page.base_url}/dang-nhap/")
    assert not axe_violations(page)


def test_wide_screen_menu_fits_one_line_for_every_role_and_plan_totals_show(page):
    call_command("load_demo")
    program = Program.objects.get(number="2993/QĐ-UBND")
    plan = program.plans.order_by("year").first()
    page.set_viewport_size({"width": 1280, "height": 800})
    for user in get_user_model().objects.order_by("username"):
        browser_login(page, user.username, DEMO_PASSWORD)
        assert page.locator(".navmenu > summary").is_hidden()
        tops = page.eval_on_selector_all(
            ".navlinks a, .userbox select, .userbox .username, .userbox button",
            "nodes => nodes.map(n => Math.round(n.getBoundingClientRect().top + "
            "n.getBoundingClientRect().height / 2))",
        )
        assert max(tops) - min(tops) <= 4, (user.username, tops)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.click("button:has-text('Đăng xuất')")
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{plan.get_absolute_url()}")
    table = page.locator("#plan-totals")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    for header in table.locator("thead th").all():
        head = header.bounding_box()
        assert head["width"] > 40 and head["x"] + head["width"] <= box["x"] + box["width"] + 1
