"""The yearly plan journey in a real Chromium (`make test-browser`), with the demo logins: staff
copies last year's plan, adds an activity in three task areas (in place, htmx), submits; each
party's manager approves; staff records progress with an attachment; the plan shows it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from conftest import ARTIFACTS, browser_login
from coordination.management.commands.load_demo import DEMO_PASSWORD
from coordination.models import Activity, Program, ProgressUpdate, YearlyPlan

from . import files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_ACTIVITIES = {
    1: "Khảo sát nhu cầu chính sách hỗ trợ HTX năm 2026",
    2: "Phóng sự truyền hình về HTX điều vùng đồng bào DTTS",
    3: "Tập huấn chuyển đổi số cho HTX năm 2026",
}


def switch_user(page, username: str) -> None:
    page.click(".userbox button:has-text('Đăng xuất')")
    page.wait_for_url("**/dang-nhap/")
    browser_login(page, username, DEMO_PASSWORD)


def add_activity(page, area_id: int, title: str, lead_agency_id: int) -> None:
    slot = f"#add-{area_id}"
    page.click(f"#area-{area_id} a.add-activity")
    page.wait_for_selector(f"{slot} form")
    page.fill(f"{slot} #id_title", title)
    # The user's own agency (a party) leads by default.
    assert page.input_value(f"{slot} #id_lead_agency") == str(lead_agency_id)
    page.fill(f"{slot} #id_start_date", "01/04/2026")
    page.fill(f"{slot} #id_end_date", "01/03/2026")  # wrong on purpose
    page.fill(f"{slot} #id_planned_budget", "25.000.000")
    page.select_option(f"{slot} #id_budget_source", "local")
    page.click(f"{slot} button[type=submit]")
    # The error appears next to the field, in place; nothing was saved.
    page.wait_for_selector(f"{slot} #id_end_date_error")
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu" in page.inner_text(
        f"{slot} #id_end_date_error"
    )
    page.fill(f"{slot} #id_end_date", "30/06/2026")
    page.click(f"{slot} button[type=submit]")
    page.wait_for_selector(f"#area-{area_id} .activity-row:has-text('{title}')")


def test_plan_from_copy_to_approval_and_progress(page, tmp_path):
    call_command("load_demo")
    last_year = YearlyPlan.objects.get(year=2025, program__number="01/CTr-SDTTG-LMHTX")
    program = last_year.program

    # Staff copies last year's plan.
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.click(f"text={program.title}")
    page.click("#create-plan")
    assert page.input_value("#id_year") == "2026"
    assert page.is_checked("#id_copy_previous")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#plan-body")
    plan = YearlyPlan.objects.get(program=program, year=2026)
    assert page.url.endswith(plan.get_absolute_url())
    assert plan.activities.count() == last_year.activities.count()

    # An activity in three task areas, in place.
    areas = {area.number: area.pk for area in program.task_areas.all()}
    for number, title in NEW_ACTIVITIES.items():
        add_activity(page, areas[number], title, program.parties.get(kind="ethnic_affairs").pk)
    assert page.url.endswith(plan.get_absolute_url())  # never left the page
    assert plan.activities.count() == last_year.activities.count() + 3
    page.click("#submit-plan")
    page.wait_for_selector("#plan-status:has-text('Chờ phê duyệt')")

    # Each party's manager approves, from their list of plans waiting for them.
    for manager, expected in [("lanhdao", "Chờ phê duyệt"), ("lanhdao.lmhtx", "Đã phê duyệt")]:
        switch_user(page, manager)
        page.click("nav >> text=Chờ phê duyệt")
        page.click(f"#plan-list a[href='{plan.get_absolute_url()}']")
        page.click("#approve-plan")
        page.wait_for_selector(f"#plan-status:has-text('{expected}')")
    assert "Chưa phê duyệt" not in page.inner_text("#decisions")
    page.screenshot(path=str(ARTIFACTS / "plan_approved.png"), full_page=True)

    # Staff records progress with an attachment; the plan shows the new status.
    switch_user(page, "canbo")
    page.goto(page.base_url + plan.get_absolute_url())
    assert page.locator(f"#area-{areas[1]} a.add-activity").count() == 0  # locked
    activity = Activity.objects.get(plan=plan, title=NEW_ACTIVITIES[3])
    page.click(f"#activity-{activity.pk} >> text=Cập nhật tiến độ")
    report = tmp_path / "Biên bản tập huấn.pdf"
    report.write_bytes(files.PDF_BYTES)
    page.fill("#id_reported_on", "15/05/2026")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent", "60")
    page.fill("#id_budget_spent", "12.000.000")
    page.set_input_files("#id_attachment", str(report))
    page.click("form.progress-form button[type=submit]")
    page.wait_for_selector("#progress-updates")
    assert "Biên bản tập huấn.pdf" in page.inner_text("#progress-updates")
    update = ProgressUpdate.objects.get(activity=activity)
    assert update.attachment_name == "Biên bản tập huấn.pdf"
    page.goto(page.base_url + plan.get_absolute_url())
    row = page.inner_text(f"#activity-{activity.pk}")
    assert "Đang thực hiện" in row and "60%" in row
    assert "Đã phê duyệt" in page.inner_text("#plan-status")
    page.screenshot(path=str(ARTIFACTS / "plan_progress.png"), full_page=True)


def test_a_large_plan_opens_folded_and_a_task_area_opens_in_place(page, settings):
    call_command("load_demo")
    staff = get_user_model().objects.get(username="canbo")
    plan = (
        YearlyPlan.objects.filter(program__in=Program.objects.visible_to(staff))
        .filter(activities__isnull=False)
        .distinct()
        .order_by("-year", "pk")
        .first()
    )
    count = plan.activities.count()
    settings.PLAN_FOLD_AT = count - 1  # this plan counts as large
    area = plan.activities.order_by("task_area__number").first().task_area
    in_area = plan.activities.filter(task_area=area)
    browser_login(page, staff.username, DEMO_PASSWORD)
    url = page.base_url + plan.get_absolute_url()
    page.goto(url)
    assert f"Kế hoạch có {count} hoạt động" in page.inner_text("#plan-folded")
    assert page.locator(".activity-row").count() == 0
    page.click(f"#area-{area.pk} p.folded a")
    page.wait_for_selector(f"#area-{area.pk} .activity-row")
    # Opened in place (htmx): same page, that task area's rows only.
    assert page.url == url
    assert page.locator(".activity-row").count() == in_area.count()
    assert in_area.first().title in page.inner_text(f"#area-{area.pk}")
    page.screenshot(path=str(ARTIFACTS / "plan-folded-area-open.png"), full_page=True)
