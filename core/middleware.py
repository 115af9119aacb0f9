import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from .jobs import JobRefused
from .security import log_refused

# A NUL byte, and U+FFFD: what Django puts in place of bytes that are not UTF-8.
GARBLED = ("\x00", "\ufffd")


class GarbledInputMiddleware:
    """Refuse, with the Vietnamese 400 page, a request whose query string or form holds a NUL
    byte or bytes that are not UTF-8 (docs/decisions.md).

    No one types them; PostgreSQL refuses NUL in text (a 500 wherever a value reaches a query
    unvalidated: a search box, a filter read from the query string, the admin's search), and
    undecodable bytes reach the views as U+FFFD. Refusing them here covers every parameter of
    every page, the admin's included, present and future."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _garbled(request.GET) or (request.method == "POST" and _garbled(request.POST)):
            reason = _(
                "Dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL hoặc ký tự không đọc được theo "
                "bảng mã UTF-8) nên không được xử lý. Hãy xoá các ký tự đó rồi gửi lại."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)


def _garbled(data) -> bool:
    return any(
        mark in text for key, values in data.lists() for text in (key, *values) for mark in GARBLED
    )


class JobRefusedMiddleware:
    """A background job refused to a user who already has too many running
    (`core.jobs.JobRefused`) becomes its message on their job list, where they see the jobs it
    waits for: every view that starts a job gets this without a try/except of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, JobRefused):
            messages.error(request, str(exception))
            return redirect("core:job_list")
        return None


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


class DevelopmentNotFoundMiddleware:
    """With DEBUG on, answer a missing page with our Vietnamese 404 page too (Django would show
    its English technical page), so what a developer sees is what users see. Not used when
    DEBUG is off: Django renders templates/404.html itself then."""

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No URL matched (Resolver404 is turned into a response before any middleware sees it).
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
