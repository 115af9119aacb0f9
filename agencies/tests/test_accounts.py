"""Invitations (one-time, 72 hours), the forgotten password, the profile and its choices."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agencies.models import Membership, NotificationKind, Profile
from agencies.tokens import invitation_token
from core.models import OutgoingEmail
from core.tests.helpers import run_worker

from .factories import PASSWORD, MembershipFactory, UserFactory

User = get_user_model()
NEW_PASSWORD = "Hop-Luc-moi-2026"


@pytest.fixture
def ethnic_admin(agencies_world):
    return MembershipFactory(
        user=UserFactory(username="ethnic_admin"), agency=agencies_world.ethnic, role="admin"
    ).user


def link_in(text: str) -> str:
    return re.search(r"http://testserver(/\S+/)", text).group(1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invited_person_sets_a_password_from_the_emailed_link_once(
    client, agencies_world, ethnic_admin, smtp_server
):
    client.force_login(ethnic_admin)
    response = client.post(
        reverse("agencies:member_invite", args=[agencies_world.ethnic.pk]),
        {"full_name": "Đỗ Thị An", "email": "An@SDT.dongnai.gov.vn", "role": "staff"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="an@sdt.dongnai.gov.vn")
    assert (user.last_name, user.first_name, user.username) == ("Đỗ Thị", "An", user.email)
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "staff"
    client.logout()

    run_worker()
    (mail,) = smtp_server.inbox.to("an@sdt.dongnai.gov.vn")
    assert "Lời mời tham gia Hợp Lực" in mail.subject
    assert "Sở Dân tộc và Tôn giáo tỉnh Đồng Nai" in mail.subject
    path = link_in(mail.part("plain"))
    assert path.startswith("/tai-khoan/loi-moi/")

    page = client.get(path, follow=True)
    assert "Đặt mật khẩu cho tài khoản mới" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.login(username="an@sdt.dongnai.gov.vn", password=NEW_PASSWORD)
    client.logout()

    # Used once: the same link no longer works.
    page = client.get(path, follow=True).content.decode()
    assert "không còn dùng được" in page


def test_an_expired_invitation_is_refused(client, agencies_world, monkeypatch):
    user = UserFactory(username="moi", email="moi@example.vn")
    user.set_unusable_password()
    user.save()
    token = invitation_token.make_token(user)
    assert invitation_token.check_token(user, token)
    hours = 72 * 3600
    now = invitation_token._now()
    monkeypatch.setattr(
        type(invitation_token), "_now", lambda self: now.replace(microsecond=0) + _delta(hours + 60)
    )
    assert not invitation_token.check_token(user, token)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("agencies:invitation_accept", args=[uid, token])
    assert "không còn dùng được" in client.get(url, follow=True).content.decode()
    # Within 72 hours it works.
    monkeypatch.setattr(type(invitation_token), "_now", lambda self: now + _delta(hours - 60))
    assert invitation_token.check_token(user, token)


def _delta(seconds):
    return datetime.timedelta(seconds=seconds)


def test_a_password_reset_token_is_not_an_invitation(agencies_world):
    user = agencies_world.staff
    assert not invitation_token.check_token(user, default_token_generator.make_token(user))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forgotten_password_from_the_login_page(client, agencies_world, smtp_server):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("agencies:password_reset") in login_page
    response = client.post(reverse("agencies:password_reset"), {"email": "STAFF@example.vn"})
    assert response["Location"] == reverse("agencies:password_reset_done")
    # An unknown address gets the same answer and no email.
    client.post(reverse("agencies:password_reset"), {"email": "ai-do@example.vn"})
    run_worker()
    (mail,) = smtp_server.inbox.received
    assert mail.recipients == ["staff@example.vn"]
    assert "Đặt lại mật khẩu" in mail.subject
    path = link_in(mail.part("plain"))
    page = client.get(path, follow=True)
    form_url = page.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.login(username="staff", password=NEW_PASSWORD)


def test_reset_emails_to_one_account_are_limited_per_hour(client, agencies_world, settings):
    """Anyone may type an address: the fourth request within an hour queues nothing more, and
    the page answers exactly as before; an hour later the person may ask again."""
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 3
    url = reverse("agencies:password_reset")
    answers = [client.post(url, {"email": "staff@example.vn"}) for _ in range(4)]
    assert {a["Location"] for a in answers} == {reverse("agencies:password_reset_done")}
    emails = OutgoingEmail.objects.filter(recipient=agencies_world.staff)
    assert emails.count() == 3
    emails.update(created_at=timezone.now() - _delta(3601))
    client.post(url, {"email": "staff@example.vn"})
    assert emails.count() == 4
    # Another account's limit is its own.
    client.post(url, {"email": "manager@example.vn"})
    assert OutgoingEmail.objects.filter(recipient=agencies_world.manager).count() == 1


def test_no_reset_email_for_a_deactivated_account(client, agencies_world):
    agencies_world.staff.is_active = False
    agencies_world.staff.save()
    client.post(reverse("agencies:password_reset"), {"email": "staff@example.vn"})
    assert not OutgoingEmail.objects.exists()


def test_the_profile_page_saves_name_email_phone_language_and_email_choices(client, agencies_world):
    user = agencies_world.staff
    client.force_login(user)
    page = client.get(reverse("agencies:profile")).content.decode()
    assert "/tai-khoan/api-token/" in page and "Mã truy cập API" in page
    response = client.post(
        reverse("agencies:profile"),
        {
            "full_name": "Nguyễn Thị Lan Anh",
            "email": "lananh@example.vn",
            "phone": "0912 345 678",
            "language": "en",
            "email_kinds": [NotificationKind.PLAN_SUBMITTED, NotificationKind.REMINDER],
        },
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.last_name, user.first_name, user.email) == (
        "Nguyễn Thị Lan",
        "Anh",
        "lananh@example.vn",
    )
    profile = Profile.objects.get(user=user)
    assert profile.phone == "0912 345 678" and profile.language == "en"
    assert profile.wants_email(NotificationKind.REMINDER)
    assert not profile.wants_email(NotificationKind.JOB)


def test_an_email_another_account_uses_is_refused_on_the_field(client, agencies_world):
    client.force_login(agencies_world.staff)
    response = client.post(
        reverse("agencies:profile"),
        {"full_name": "Lan", "email": "MANAGER@example.vn", "phone": "", "language": "vi"},
    )
    assert "đã được tài khoản khác dùng" in response.content.decode()
    agencies_world.staff.refresh_from_db()
    assert agencies_world.staff.email == "staff@example.vn"


def test_change_password(client, agencies_world):
    client.force_login(agencies_world.staff)
    response = client.post(
        reverse("agencies:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("agencies:profile")
    agencies_world.staff.refresh_from_db()
    assert agencies_world.staff.check_password(NEW_PASSWORD)
