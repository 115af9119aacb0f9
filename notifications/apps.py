from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and their emails, and the reminders. Sits between cooperatives and
    agencies: reporting → coordination → cooperatives → notifications → agencies → core. The
    apps above call `notifications.notify`; core's jobs announce their end by a signal."""

    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from core.jobs import job_ended

        from .services import notify_job_ended

        job_ended.connect(notify_job_ended, dispatch_uid="notifications-job-ended")
