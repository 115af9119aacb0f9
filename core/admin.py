from django.contrib import admin

from core.text import search_key

from .models import Job, OutgoingEmail


class ToneInsensitiveSearchMixin:
    """Admin search that ignores tone marks and đ/d: the term is turned into the same search key
    the model stores, so 'bu gia map' finds 'Bù Gia Mập'."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term))


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs, read-only: administrators look here for a failure's technical detail."""

    list_display = ["title", "owner", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "owner__username"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits for a retry and why (`last_error`)."""

    list_display = ["subject", "to_address", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "to_address", "recipient__username"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
