from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks below every domain app: text handling, formatting, security
    logging, error pages and background jobs."""

    name = "core"
    verbose_name = _("Dùng chung")

    def ready(self):
        from axes.signals import user_locked_out

        from . import security

        user_locked_out.connect(security.log_lockout, dispatch_uid="hopluc-lockout-log")
