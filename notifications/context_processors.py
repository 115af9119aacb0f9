from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.functional import SimpleLazyObject

from core.prepared import PreparedQuery

from .models import Notification

# The bell's count is on nearly every page: compiled once per process (core.prepared). Grouped by
# the one user, so a person without unread notifications gets no row.
_UNREAD = PreparedQuery(
    lambda user_id: (
        Notification.objects.visible_to(get_user_model()(pk=user_id))
        .unread()
        .order_by()
        .values("user_id")
        .annotate(count=Count("pk"))
        .values_list("count")
    ),
    int,
)


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread (`Notification.objects.visible_to(user)
    .unread().count()`, in one prepared query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return 0
    rows = _UNREAD(user.pk)
    return rows[0][0] if rows else 0


def unread_notifications(request) -> dict:
    """`unread_notifications`: the bell's count, one query, and only when a template shows it
    (htmx fragments and pages without the top bar do not pay for it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
