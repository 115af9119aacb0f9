"""In a real Chromium: an agency admin invites a staff member, who sets a password from the
emailed link and logs in; the new staff member submits the plan and the manager sees the bell
count, opens the notification and lands on the plan."""

import re

import pytest

from agencies.tests.factories import PASSWORD, MembershipFactory, UserFactory
from conftest import browser_login
from core.tests.helpers import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "Hop-Luc-moi-2026"


def log_out(page) -> None:
    page.click(".userbox button:has-text('Đăng xuất')")
    page.wait_for_url("**/dang-nhap/")


def test_invite_set_password_log_in_submit_and_the_manager_sees_the_bell(page, world, smtp_server):
    MembershipFactory(user=UserFactory(username="ethnic_admin"), agency=world.ethnic, role="admin")
    browser_login(page, "ethnic_admin", PASSWORD)
    page.click(".userbox a.username")
    page.click("text=Quản lý thành viên")
    page.fill("#id_full_name", "Đỗ Thị An")
    page.fill("#id_email", "an@sdt.dongnai.gov.vn")
    page.select_option("#id_role", "staff")
    page.click("button:has-text('Gửi lời mời')")
    page.wait_for_selector("text=Đã gửi thư mời tới an@sdt.dongnai.gov.vn")
    assert "Chưa nhận lời mời" in page.inner_text("tr[data-member='an@sdt.dongnai.gov.vn']")
    log_out(page)

    run_worker()
    (mail,) = smtp_server.inbox.to("an@sdt.dongnai.gov.vn")
    path = re.search(r"http://testserver(/\S+/)", mail.part("plain")).group(1)
    page.goto(f"{page.base_url}{path}")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("button:has-text('Đặt mật khẩu')")
    page.wait_for_url("**/dang-nhap/")
    assert "Đã đặt mật khẩu" in page.inner_text(".messages")

    browser_login(page, "an@sdt.dongnai.gov.vn", NEW_PASSWORD)
    page.goto(f"{page.base_url}{world.plan.get_absolute_url()}")
    page.click("#submit-plan")
    page.wait_for_selector("text=Đã trình duyệt kế hoạch.")
    log_out(page)

    browser_login(page, "manager", PASSWORD)
    assert page.inner_text(".bell .bell-count") == "1"
    page.click(".bell")
    page.click("text=Kế hoạch năm 2024 chờ phê duyệt")
    page.wait_for_url(f"**{world.plan.get_absolute_url()}")
    assert page.locator(".bell .bell-count").count() == 0
