from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo và theo dõi")

    def ready(self):
        # Registers the report reminder (notifications.reminders).
        from .reports import notices  # noqa: F401
