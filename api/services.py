"""The writes of the API tokens: create (the secret returned once), revoke, and the look-up of
a presented secret with its last use recorded."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_text

from .models import PREFIX_LENGTH, TOKEN_MARK, ApiToken, hash_secret, new_secret

# `last_used_at` is written at most this often per token: a script calling the API in a loop
# must not turn every read into a write.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
# Tokens one user may hold at once (unrevoked): enough for a few scripts, not a leak farm.
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def token_create(
    *, user, name: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its secret, which is never stored nor shown again.
    The expiry, if any, is today or later; a user holds at most MAX_ACTIVE_TOKENS unrevoked."""
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("Ngày hết hạn không được ở trong quá khứ.")})
    # Under a lock on the user's row, so two requests at once cannot pass the limit together.
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    if ApiToken.objects.of(user).filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Bạn đã có %(n)s mã đang dùng; hãy thu hồi mã không cần nữa trước khi tạo mã mới.")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    secret = new_secret()
    token = ApiToken(
        user=user,
        name=clean_text(name),
        prefix=secret[: len(TOKEN_MARK) + PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        expires_on=expires_on,
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke `token` for good (a second revocation keeps the first time)."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        token.refresh_from_db(fields=["revoked_at"])
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret is `secret` (revoked and expired ones too: the caller says why
    they are refused), with its owner; None when no token has it."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    return token


def token_touch(token: ApiToken) -> None:
    """Record that `token` was just used, at most every LAST_USED_EVERY."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
