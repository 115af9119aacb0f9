"""The one-time link of an invitation: Django's password-reset token with its own salt and
lifetime (INVITATION_TIMEOUT, 72 hours). The token is made from the user's password hash and
last login, so it stops working once used to set a password, and after its lifetime."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "hopluc.agencies.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        """Valid for this user, unused, and younger than INVITATION_TIMEOUT (Django's own check
        reads PASSWORD_RESET_TIMEOUT, which the password-reset link keeps shorter)."""
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= settings.INVITATION_TIMEOUT


invitation_token = InvitationTokenGenerator()
