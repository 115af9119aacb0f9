from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Chương trình phối hợp")

    def ready(self):
        # Registers the plan reminders and the weekly digest (notifications.reminders).
        from . import notices  # noqa: F401
