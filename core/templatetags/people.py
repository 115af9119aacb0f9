"""`{{ user|person }}` → 'Nguyễn Thị Lan' (`core.people.display_name`)."""

from django import template
from django.utils.translation import gettext as _

from core.people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's display name; changes made by the system (the demo loader, imports) have no
    user."""
    if user is None:
        return _("hệ thống")
    return display_name(user)
