"""A notification shown in the app (the bell) and, by the person's choice, sent by email."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import NotificationKind


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees only their own notifications."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        """Not opened yet (the bell's count)."""
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened for one person: a plan waiting for them, a report finalised, a
    job finished, a reminder. `url` is the page of the object; opening the notification marks
    it read and goes there. A reminder or digest carries a `key` naming its occasion: one per
    person and key (a database constraint), so it is sent once however often the job runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500)
    key = models.CharField(_("dịp"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
