"""Template helpers of the plan pages: `{{ user|person }}` → 'Nguyễn Thị Lan'."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's name as Vietnamese write it (family name first), else their login; changes
    made by the system (the demo loader, imports) have no user."""
    if user is None:
        return _("hệ thống")
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
