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
