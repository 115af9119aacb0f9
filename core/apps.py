from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks below every domain app: text handling, formatting, security
    logging, error pages and background jobs."""

    name = "core"
    verbose_name = _("Dùng chung")

    def ready(self):
        from axes.signals import user_locked_out
        from django.db.models import IntegerField

        from . import security
        from .db import IntegerFieldIn, register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="core_vi_collation")
        # Every integer column, ids included (AutoField and BigIntegerField are IntegerFields).
        IntegerField.register_lookup(IntegerFieldIn)
        user_locked_out.connect(security.log_lockout, dispatch_uid="hopluc-lockout-log")
