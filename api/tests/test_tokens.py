"""Personal API tokens: created on the token page (the secret shown once, only its hash kept),
used, revoked, expiring; a user sees and revokes only their own; throttled per token."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken

from .conftest import token_client

pytestmark = pytest.mark.django_db

PAGE = "/tai-khoan/api-token/"


def test_the_page_creates_a_token_shown_once_and_stores_only_its_hash(world):
    client = Client()
    client.force_login(world.staff)
    response = client.post(PAGE, {"name": "Báo cáo tự động", "expires_on": "31/12/2030"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    secret = response.context["secret"]
    assert secret.startswith("hl_") and len(secret) > 40
    assert secret in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.expires_on) == (
        world.staff, "Báo cáo tự động", datetime.date(2030, 12, 31)
    )  # fmt: skip
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) == 11
    assert not any(secret in str(value) for value in vars(token).values())
    again = client.get(PAGE).content.decode()
    assert secret not in again and token.prefix in again


def test_a_bad_expiry_is_refused_on_its_field(world):
    client = Client()
    client.force_login(world.staff)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for value, message in [
        ("31/02/2030", "Ngày không hợp lệ (dd/mm/yyyy)."),
        (yesterday.strftime("%d/%m/%Y"), "Ngày hết hạn không được ở trong quá khứ."),
    ]:
        response = client.post(PAGE, {"name": "x", "expires_on": value})
        assert response.context["form"].errors["expires_on"] == [message]
    assert client.post(PAGE, {"name": ""}).context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_number_of_live_tokens_is_limited(world, settings):
    for number in range(services.MAX_ACTIVE_TOKENS):
        services.token_create(user=world.staff, name=f"mã {number}")
    client = Client()
    client.force_login(world.staff)
    response = client.post(PAGE, {"name": "một mã nữa"})
    assert response.context["form"].non_field_errors()
    assert ApiToken.objects.count() == services.MAX_ACTIVE_TOKENS
    services.token_revoke(token=ApiToken.objects.first())
    assert client.post(PAGE, {"name": "một mã nữa"}).context["secret"]


def test_a_user_revokes_their_own_token_and_nobody_elses(world):
    token, _secret = services.token_create(user=world.staff, name="Mã riêng 5521")
    other = Client()
    other.force_login(world.other_staff)
    url = reverse("api_tokens:token_revoke", args=[token.pk])
    assert other.post(url).status_code == 404
    assert other.get(PAGE).content.decode().count("Mã riêng 5521") == 0
    token.refresh_from_db()
    assert token.revoked_at is None
    owner = Client()
    owner.force_login(world.staff)
    assert owner.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Mã truy cập API này đã bị thu hồi." in owner.get(PAGE).content.decode()
    assert Client().get(PAGE)["Location"].startswith("/dang-nhap/")


def test_a_token_acts_as_its_user_and_records_its_last_use(world):
    client, token = token_client(world.staff)
    assert token.last_used_at is None
    assert client.get(reverse("api:program-list")).json()["count"] == 1
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(reverse("api:program-list"))
    token.refresh_from_db()
    assert token.last_used_at == first  # written at most once a minute


def test_a_token_expires_after_its_last_day(world):
    today = timezone.localdate()
    client, token = token_client(world.staff, expires_on=today)
    assert client.get(reverse("api:program-list")).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_on=today - datetime.timedelta(days=1))
    response = client.get(reverse("api:program-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Mã truy cập API này đã hết hạn."}


def test_a_deactivated_users_token_is_refused(world):
    client, _token = token_client(world.staff)
    world.staff.is_active = False
    world.staff.save()
    assert client.get(reverse("api:program-list")).status_code == 401


def test_requests_are_throttled_per_token(world, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    first, _ = token_client(world.staff)
    second, _ = token_client(world.staff)
    for _ in range(3):
        assert first.get(reverse("api:province-list")).status_code == 200
    refused = first.get(reverse("api:province-list"))
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert refused.json()["detail"]
    assert second.get(reverse("api:province-list")).status_code == 200
