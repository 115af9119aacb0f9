from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (/api/v1/) and the personal API tokens: at the top of the import chain,
    above `reporting`; it only reads the other apps' QuerySet methods, policies, figures and
    services, and nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("API")
