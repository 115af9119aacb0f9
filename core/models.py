"""The one model below every app: a background job the page can follow."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees the jobs they started; the superuser sees every job."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(owner=user)

    def unfinished(self):
        """Jobs still waiting for the worker or running."""
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])

    def stale(self, *, before):
        """Running jobs with no sign of life (start, progress) since `before`: their worker is
        most likely gone (killed, machine restarted)."""
        last_sign = Coalesce("updated_at", "started_at", "created_at")
        return (
            self.filter(status=Job.Status.RUNNING)
            .alias(last_sign=last_sign)
            .filter(last_sign__lt=before)
        )


class Job(models.Model):
    """A long piece of work run by the background worker (`manage.py db_worker`).

    Started with `core.jobs.start`; the task reports progress (`done` of `total`, a message) and
    ends with a summary and possibly a result file. Pages follow it with the
    `core/partials/_job_progress.html` partial."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Không thành công")

    kind = models.CharField(_("loại công việc"), max_length=200)
    # The Vietnamese source text (a msgid) and its values: translated when shown, so a job
    # started in one language reads in the language of whoever looks at it.
    title = models.CharField(_("tên công việc"), max_length=300)
    title_args = models.JSONField(default=dict, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="jobs",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), null=True, blank=True)
    # Like the title: the Vietnamese msgid and its values, translated when shown
    # (`display_message`); rows written before `message_args` hold plain Vietnamese text.
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    message_args = models.JSONField(default=dict, blank=True, editable=False)
    summary = models.JSONField(_("kết quả tóm tắt"), default=dict, blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to="jobs/%Y/%m/", blank=True)
    # Technical detail of a failure, for administrators only; users see `message`.
    error = models.TextField(_("chi tiết lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Every write of the job (start, progress, end) touches it: a running job whose worker died
    # stops touching it, and `fail_stale_jobs` marks it failed after a while.
    updated_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True, editable=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_job_owner_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="core_job_done_within_total",
            )
        ]

    def __str__(self):
        return f"{self.display_title} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("core:job_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title in the reader's language (`title` is the Vietnamese msgid)."""
        text = gettext(self.title)
        return text % self.title_args if self.title_args else text

    @property
    def display_message(self) -> str:
        """The message in the reader's language (`message` is the Vietnamese msgid; plain text
        without a catalogue entry is shown as it is)."""
        if not self.message:
            return ""
        text = gettext(self.message)
        if not self.message_args:
            return text
        # A catalogue entry whose placeholders do not match falls back to the source text.
        for template in (text, self.message):
            try:
                return template % self.message_args
            except (KeyError, TypeError, ValueError):
                continue
        return self.message

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is not known."""
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, self.done * 100 // self.total)


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, *, now):
        """Emails still to send whose next attempt is due (a lost queue entry is caught up by
        `core.mail.send_due`)."""
        return self.filter(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)

    def of_kind_since(self, user, kind: str, since):
        """The emails of `kind` queued for `user` since `since` (the password reset's limit)."""
        return self.filter(recipient=user, kind=kind, created_at__gte=since)


class OutgoingEmail(models.Model):
    """One email waiting to go out, sent, or given up on: the outbox behind every email the app
    sends (`core.mail.queue_email`). The background worker sends it; a failure is retried with
    backoff and the last error is kept for administrators (admin: Thư gửi đi)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")
        CANCELLED = "cancelled", _("Đã hủy")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="outgoing_emails",
    )
    to_address = models.EmailField(_("địa chỉ nhận"))
    # What the email is for, where a rule counts them (e.g. "password_reset"); blank otherwise.
    kind = models.CharField(_("loại thư"), max_length=40, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body_text = models.TextField(_("nội dung"))
    body_html = models.TextField(_("nội dung HTML"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("thư gửi đi")
        verbose_name_plural = _("thư gửi đi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="core_email_due"),
        ]

    def __str__(self):
        return f"{self.to_address}: {self.subject}"
