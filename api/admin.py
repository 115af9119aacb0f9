from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens as their owners see them (never the secret, which is not stored); an admin may
    revoke one by setting its revocation time."""

    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "expires_on",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "expires_on", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False  # a token is created by its owner, who alone sees the secret
