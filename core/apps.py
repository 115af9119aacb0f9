from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks below every domain app: text handling, formatting, base views."""

    name = "core"
    verbose_name = _("Dùng chung")
