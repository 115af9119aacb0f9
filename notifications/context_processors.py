from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request) -> dict:
    """`unread_notifications`: the bell's count, one query, and only when a template shows it
    (htmx fragments and pages without the top bar do not pay for it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.visible_to(user).unread().count()
        )
    }
