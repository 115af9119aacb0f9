import time

from django.conf import settings

from .security import log_refused


class RefusedAccessLogMiddleware:
    """Log every refused access (403 forbidden, 404 not found or not visible).

    The permission checks answer 404 for records a user may not see and 403 for those they may
    see but not change (agencies.access); logging here, once, covers every view that follows
    that rule, including the ones other apps add later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            log_refused(request, response.status_code)
        return response


def _now() -> float:
    """Seconds since the epoch (a module function: tests move it)."""
    return time.time()


class SessionTouchMiddleware:
    """Keep an active user's session alive without writing it on every request.

    A session ends SESSION_COOKIE_AGE seconds after its expiry was last pushed on. Pushing it
    on every request (SESSION_SAVE_EVERY_REQUEST) cost a database write and commit per page
    view; here it is pushed when the last push is SESSION_TOUCH_INTERVAL seconds old or more,
    so the idle time-out holds to within that interval. Placed after SessionMiddleware, whose
    response step then saves the session (and re-sends the cookie with the new expiry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(_now())
        if now - session.get(TOUCHED, 0) >= settings.SESSION_TOUCH_INTERVAL:
            session[TOUCHED] = now
        return response


# Session key: when the expiry was last pushed on (seconds since the epoch).
TOUCHED = "_hopluc_touched"
