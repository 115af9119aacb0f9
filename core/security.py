"""Security plumbing shared by every app: the client address and the security log.

`hopluc.security` records logins, logouts, failed logins, lockouts (django-axes) and refused
accesses (403/404, see `core.middleware`), one line each with the user and the address, so an
administrator can answer "who tried what from where" from the server log alone.
"""

import logging

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render

log = logging.getLogger("hopluc.security")


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made from a request (the login page, the
    admin login), and the address-wide limit: AXES_ADDRESS_FAILURE_LIMIT failures from one
    address within the cool-off, whatever the usernames, lock the address (password spraying;
    see docs/decisions.md for why django-axes' own parameters cannot say this).
    `authenticate()` without a request (a script, the test client's `login()`) has no address
    to throttle: it is left to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        AxesProxyHandler.update_request(request)
        failures = address_failures(request)
        if failures >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            log.warning("locked-out address ip=%s failures=%s", request.axes_ip_address, failures)
            # AxesMiddleware answers a locked-out request with `lockout_response`.
            request.axes_locked_out = request.hopluc_address_locked = True
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off, for every username
    (django-axes keeps one row per username, address and browser)."""
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


def client_ip(request) -> str:
    """The address the request came from.

    Behind our nginx (BEHIND_PROXY) every request arrives from the proxy itself, so the client
    is the last address of X-Forwarded-For: the one nginx appended. Earlier entries come from the
    client and can be forged, so they are never trusted."""
    if request is None:
        return ""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def describe_user(user) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"{user.get_username()}#{user.pk}"


@receiver(user_logged_in)
def _log_login(sender, request, user, **kwargs):
    log.info("login user=%s ip=%s", describe_user(user), client_ip(request))


@receiver(user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    log.info("logout user=%s ip=%s", describe_user(user), client_ip(request))


@receiver(user_login_failed)
def _log_login_failed(sender, credentials, request=None, **kwargs):
    # The credentials are cleansed by Django; only the username is kept.
    log.warning(
        "login-failed username=%r ip=%s", credentials.get("username", ""), client_ip(request)
    )


def log_lockout(sender, request, username, ip_address, **kwargs):
    """django-axes `user_locked_out`: a username is locked from an address for the cool-off."""
    log.warning("locked-out username=%r ip=%s", username, ip_address)


def log_refused(request, status: int) -> None:
    """A 403 or 404 answered to someone: who asked for what."""
    log.warning(
        "refused status=%s user=%s ip=%s method=%s path=%s",
        status,
        describe_user(getattr(request, "user", None)),
        client_ip(request),
        request.method,
        request.get_full_path()[:300],
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (django-axes AXES_LOCKOUT_CALLABLE): how many failures
    and for how many minutes, in Vietnamese; 429 Too Many Requests."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
        "address_locked": getattr(request, "hopluc_address_locked", False),
    }
    return render(request, "registration/locked_out.html", context, status=429)
