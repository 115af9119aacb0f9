from django.contrib import admin

from core.admin import ToneInsensitiveSearchMixin

from .models import Cooperative


@admin.register(Cooperative)
class CooperativeAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    list_display = [
        "registration_code",
        "name",
        "kind",
        "province",
        "commune",
        "members",
        "ocop_stars",
        "status",
    ]
    list_filter = ["kind", "status", "rating", "ocop_stars", "in_ethnic_minority_area", "province"]
    search_fields = ["registration_code", "search_key"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
