"""Project-wide test fixtures. App fixtures live in each app's tests/conftest.py and factories."""

import os
from pathlib import Path

import pytest

pytest_plugins = [
    "agencies.tests.fixtures",
    "coordination.tests.fixtures",
    # `smtp_server`: a real SMTP server inside the test (aiosmtpd on loopback).
    "core.tests.smtp",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing, plain static storage (no collectstatic manifest), uploads in a
    temporary folder, and the Vietnamese interface."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """The test client and the live server speak plain HTTP, so the HTTPS settings that are on
    whenever DEBUG is off are turned off for the whole run, before the live server reads them
    (SecurityMiddleware reads them once). `check --deploy` tests the production values."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium's own background traffic is refused on a closed network; these flags stop it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (browsers cannot be downloaded here)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("HOPLUC_BROWSER_REQUIRED"):
            pytest.fail(f"Chromium is required but not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh Vietnamese browser tab; `page.base_url` is the live server."""
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1366, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.base_url = live_server.url
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    context.close()


def browser_login(page, username: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto(f"{page.base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")
