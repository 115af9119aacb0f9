"""Throttling: API_THROTTLE_RATE requests per token (per user for the session, per address for
anonymous requests, which are refused anyway)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.security import client_ip

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request (not once at import, as DRF's THROTTLE_RATES is): a setting.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
