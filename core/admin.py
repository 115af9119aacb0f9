from django.contrib import admin

from core.text import search_key

from .models import Job, OutgoingEmail


class ToneInsensitiveSearchMixin:
    """Admin search that ignores tone marks and đ/d: the term is turned into the same search key
    the model stores, so 'bu gia map' finds 'Bù Gia Mập'."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term))


class ReadOnlyAdminMixin:
    """A list to look at, not to edit: rows are written by the app's services only. Deleting
    stays allowed (clearing old rows) unless `can_delete_rows` is False."""

    can_delete_rows = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.can_delete_rows and super().has_delete_permission(request, obj)


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background jobs, read-only: administrators look here for a failure's technical detail."""

    list_display = ["title", "owner", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "owner__username"]
    readonly_fields = [field.name for field in Job._meta.fields]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits for a retry and why (`last_error`)."""

    list_display = ["subject", "to_address", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "to_address", "recipient__username"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]
