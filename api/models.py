"""Personal API tokens: a user's key for scripts and other systems to call the API as them.

The secret is shown once, when the token is created; only its SHA-256 is stored (a long random
secret needs no slow hash: nobody can guess it, so there is nothing to brute-force offline), with
its first characters (`prefix`) so its owner can tell their tokens apart."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
TOKEN_MARK = "hl_"  # noqa: S105 - a public marker, not a secret
PREFIX_LENGTH = 8


def hash_secret(secret: str) -> str:
    """The stored form of a token: its SHA-256, hexadecimal."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """A new token: the mark, 8 characters shown for identification, and 32 random bytes."""
    return TOKEN_MARK + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def of(self, user):
        """The tokens `user` owns (none for an anonymous visitor)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def usable(self, today: datetime.date | None = None):
        """Tokens that authenticate today: not revoked and not past their expiry date (a token
        is valid through its expiry day, Vietnam time). `ApiToken.refusal()` is its twin."""
        today = today or timezone.localdate()
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).filter(
            revoked_at__isnull=True
        )


class ApiToken(models.Model):
    """A personal API token: whoever holds its secret acts as `user`, with exactly their rights."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("mã nhận diện"), max_length=PREFIX_LENGTH + len(TOKEN_MARK))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_on = models.DateField(_("hết hạn sau ngày"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())

    def refusal(self, today: datetime.date | None = None) -> str | None:
        """Why the token no longer authenticates (None while it does): the Python twin of
        `ApiTokenQuerySet.usable()`, for the message of the 401 and the token page."""
        if self.is_revoked:
            return _("Mã truy cập API này đã bị thu hồi.")
        if self.is_expired(today):
            return _("Mã truy cập API này đã hết hạn.")
        return None
