"""Login throttling, sessions, CSRF, CSP, refused-access logging and the friendly error pages."""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

from agencies.tests.factories import PASSWORD
from core.security import client_ip

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
LOGIN = "/dang-nhap/"


def attempt(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_failures_lock_that_username_from_that_address_only(client, world, caplog):
    caplog.set_level("INFO", logger="hopluc.security")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "staff", "sai-mat-khau", "10.0.0.1")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = attempt(client, "staff", "sai-mat-khau", "10.0.0.1")
    assert response.status_code == 429
    # Even the right password is refused from that address during the cool-off ...
    response = attempt(client, "staff", PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "tạm thời không đăng nhập được từ máy này" in page
    assert f"Vui lòng thử lại sau {settings.AXES_COOLOFF_TIME.seconds // 60} phút" in page
    assert "_auth_user_id" not in client.session
    # ... but the real user, elsewhere, still logs in; and another user from that address too.
    assert attempt(Client(), "staff", PASSWORD, "10.0.0.2").status_code == 302
    assert attempt(Client(), "manager", PASSWORD, "10.0.0.1").status_code == 302
    log = caplog.text
    assert "login-failed username='staff' ip=10.0.0.1" in log
    assert "locked-out username='staff' ip=10.0.0.1" in log
    assert re.search(r"login user=staff#\d+ ip=10\.0\.0\.2", log)


def test_scripts_and_the_test_client_can_still_authenticate_without_a_request(client, world):
    assert client.login(username="staff", password=PASSWORD)
    assert client.get(reverse("coordination:home")).status_code == 200


def test_lockout_ends_after_the_cool_off(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "staff", "sai", "10.0.0.1")
    assert attempt(client, "staff", PASSWORD, "10.0.0.1").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert attempt(client, "staff", PASSWORD, "10.0.0.1").status_code == 302


def test_a_successful_login_clears_the_failures(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "staff", "sai", "10.0.0.1")
    assert attempt(client, "staff", PASSWORD, "10.0.0.1").status_code == 302
    assert not AccessAttempt.objects.exists()


def test_wrong_passwords_for_many_usernames_lock_the_address_at_its_own_limit(
    client, world, caplog
):
    """Password spraying: 5 wrong passwords for each of many usernames from one address lock
    that address once AXES_ADDRESS_FAILURE_LIMIT failures are reached, not before (an office
    shares one address); a real user elsewhere still logs in."""
    caplog.set_level("INFO", logger="hopluc.security")
    limit, per_user = settings.AXES_ADDRESS_FAILURE_LIMIT, settings.AXES_FAILURE_LIMIT
    assert limit >= 10 * per_user
    for number in range(limit // per_user):
        for _ in range(per_user):
            attempt(Client(), f"nguoi{number}", "sai-mat-khau", "10.0.0.9")
        if number == limit // per_user - 2:
            # One name short of the limit: a colleague at that address still logs in.
            assert attempt(Client(), "manager", PASSWORD, "10.0.0.9").status_code == 302
    response = attempt(Client(), "staff", PASSWORD, "10.0.0.9")
    assert response.status_code == 429
    assert "từ địa chỉ mạng của bạn" in response.content.decode()
    assert attempt(Client(), "staff", PASSWORD, "10.0.0.2").status_code == 302
    assert "locked-out address ip=10.0.0.9" in caplog.text


def test_behind_the_proxy_the_client_is_the_address_nginx_appended(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "127.0.0.1"  # headers are not trusted without the proxy
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"  # the forged first entry is ignored


def test_the_session_key_changes_at_login_and_the_old_one_is_gone(client, world):
    session = client.session
    session["seen_login_page"] = True
    session.save()
    anonymous_key = session.session_key
    assert attempt(client, "staff", PASSWORD, "10.0.0.1").status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert client.get(reverse("coordination:home")).status_code == 200


def logged_in(world) -> tuple[Client, str]:
    client = Client()
    assert attempt(client, "staff", PASSWORD, "10.0.0.1").status_code == 302
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def replay(session_key: str):
    """A new browser presenting an old session cookie."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return other.get(reverse("coordination:home"))


def test_a_session_expires_after_idle_time_and_requests_extend_it(world, monkeypatch):
    client, key = logged_in(world)
    client.get(reverse("coordination:home"))
    expiry = Session.objects.get(session_key=key).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expiry - expected).total_seconds()) < 60

    # Within SESSION_TOUCH_INTERVAL a request does not write the session again...
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("coordination:home"))
    assert not [
        q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    assert Session.objects.get(session_key=key).expire_date == expiry
    # ... after it, the next request pushes the expiry on.
    later = time.time() + settings.SESSION_TOUCH_INTERVAL + 1
    monkeypatch.setattr("core.middleware._now", lambda: later)
    Session.objects.filter(session_key=key).update(expire_date=expiry - timedelta(hours=1))
    client.get(reverse("coordination:home"))
    pushed = Session.objects.get(session_key=key).expire_date
    assert pushed > expiry - timedelta(hours=1)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    # Idle for longer than SESSION_COOKIE_AGE: the stored expiry has passed.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    response = client.get(reverse("coordination:home"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_logout_ends_the_session_and_is_post_only(world):
    client, key = logged_in(world)
    assert client.get(reverse("logout")).status_code == 405  # no state change on GET
    assert replay(key).status_code == 200
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    response = replay(key)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_deactivating_a_user_ends_their_sessions(world):
    client, key = logged_in(world)
    world.staff.is_active = False
    world.staff.save()
    response = replay(key)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    # and they cannot log in again
    response = attempt(Client(), "staff", PASSWORD, "10.0.0.3")
    assert response.status_code == 200  # the form again, with the error


def test_forms_without_the_csrf_token_are_refused_with_a_vietnamese_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không gửi được biểu mẫu" in page and "CSRF" not in page
    client.force_login(world.staff)
    assert client.post(reverse("coordination:program_export")).status_code == 403


def test_weak_passwords_are_refused(world):
    # Each for its own reason, by the validators' codes (a password has no model field).
    for weak, reasons in [
        ("12345678", {"password_too_common", "password_entirely_numeric"}),
        ("password", {"password_too_common"}),
        ("staff2024", {"password_too_similar"}),
        ("abc", {"password_too_short", "password_too_common"}),
    ]:
        with pytest.raises(ValidationError) as error:
            validate_password(weak, user=world.staff)
        assert {e.code for e in error.value.error_list} == reasons, weak
    assert "Mật khẩu này quá phổ biến." in error.value.messages
    validate_password("Phoi-hop-2026-Dong-Nai", user=world.staff)


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.staff)
    policy = client.get(reverse("coordination:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    """The policy forbids inline code, so no template of ours may contain any."""
    templates = [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]
    assert len(templates) > 5
    found = [
        f"{template.relative_to(ROOT)}: {label}"
        for template in templates
        for pattern, label in INLINE
        if pattern.search(template.read_text())
    ]
    assert not found


def test_refused_accesses_are_logged_with_the_user(client, world, caplog):
    caplog.set_level("INFO", logger="hopluc.security")
    client.force_login(world.other_staff)
    assert client.get(world.program.get_absolute_url()).status_code == 404
    assert re.search(
        rf"refused status=404 user=other_staff#\d+ ip=127\.0\.0\.1 method=GET "
        rf"path={re.escape(world.program.get_absolute_url())}",
        caplog.text,
    )


def test_an_unknown_page_gets_the_vietnamese_404_page(client, world):
    client.force_login(world.staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and "Về trang chủ" in page


def database_failure(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("loi/", database_failure)]


@pytest.mark.urls(__name__)
def test_a_server_error_gets_the_friendly_500_page_without_a_traceback(world):
    client = Client(raise_request_exception=False)
    response = client.get("/loi/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "server closed" not in page


def test_the_500_page_needs_no_database_or_user():
    from django.template.loader import render_to_string

    assert "Hệ thống đang gặp sự cố" in render_to_string("500.html")
