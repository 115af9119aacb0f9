"""Authentication of API requests: `Authorization: Bearer hl_…` with a personal token, or the
browser's session (DRF's SessionAuthentication, which checks the CSRF token on writes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import TOKEN_MARK
from .services import token_for_secret, token_touch

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    """A personal API token in the `Authorization` header. A revoked or expired token, an
    unknown one, or a token of a deactivated user is refused with 401 and says why; without
    the header the next authentication (the session) is tried."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng: Bearer <mã truy cập>.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = token_for_secret(secret) if secret.startswith(TOKEN_MARK) else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập API không đúng."))
        refusal = token.refusal()
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản này đã bị khóa."))
        token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request with no credentials at all.
        return f'{KEYWORD} realm="api"'
