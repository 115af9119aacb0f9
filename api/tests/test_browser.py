"""In a real Chromium: the API documentation renders under our Content Security Policy, and a
user creates a token on the token page, sees it once, uses it, and revokes it."""

import pytest

from agencies.tests.factories import UserFactory
from api.models import ApiToken
from config.tests.test_browser import watch_csp
from conftest import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_docs_render_without_a_csp_violation(page):
    violations = watch_csp(page)
    page.goto(f"{page.base_url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Hợp Lực API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/activities/")
    assert not violations, violations


def test_a_token_is_shown_once_works_and_is_revoked(page):
    user = UserFactory(username="kichban")
    user.set_password("MatKhau@2026")
    user.save()
    violations = watch_csp(page)
    browser_login(page, "kichban", "MatKhau@2026")
    page.goto(f"{page.base_url}/tai-khoan/api-token/")
    page.fill("#id_name", "Bảng tính của Sở")
    page.click("button:has-text('Tạo mã')")
    secret = page.inner_text(".api-token-value").strip()
    assert secret.startswith("hl_")
    token = ApiToken.objects.get()
    assert token.prefix in secret and secret not in (token.key_hash, token.prefix)

    answer = page.request.get(
        f"{page.base_url}/api/v1/provinces/?page_size=1",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status == 200 and answer.json()["count"] > 0

    page.goto(f"{page.base_url}/tai-khoan/api-token/")
    assert secret not in page.content()  # shown once
    assert "Bảng tính của Sở" in page.content()
    page.click("button:has-text('Thu hồi')")
    page.wait_for_selector("text=Mã truy cập API này đã bị thu hồi.")
    refused = page.request.get(
        f"{page.base_url}/api/v1/provinces/",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert refused.status == 401
    assert not violations, violations
