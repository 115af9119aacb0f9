from django.contrib import admin

from core.admin import ToneInsensitiveSearchMixin

from .models import (
    Agency,
    Commune,
    CommuneName,
    CommuneSuccession,
    Membership,
    Profile,
    Province,
    ProvinceName,
)


class ProvinceNameInline(admin.TabularInline):
    """Earlier names and kinds of the unit (a document dated then shows them)."""

    model = ProvinceName
    extra = 0
    fields = ["name", "kind", "valid_from", "valid_to", "source"]


@admin.register(Province)
class ProvinceAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "search_key", "former_names_key"]
    list_select_related = ["successor"]
    autocomplete_fields = ["successor"]
    inlines = [ProvinceNameInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "level",
        "province",
        "under_peoples_committee",
        "successor",
        "succeeded_on",
        "active",
    ]
    list_filter = ["kind", "level", "active", "under_peoples_committee"]
    search_fields = ["search_key"]
    list_select_related = ["province", "successor"]
    autocomplete_fields = ["province", "successor"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency__level"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__search_key"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]


class CommuneSuccessionInline(admin.TabularInline):
    model = CommuneSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]


class CommuneNameInline(admin.TabularInline):
    """Earlier names and kinds (agencies/data/commune_changes.csv)."""

    model = CommuneName
    extra = 0


@admin.register(Commune)
class CommuneAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    """Reference data from agencies/data/communes.csv (`manage.py build_commune_data`)."""

    list_display = ["code", "full_name", "district", "province", "valid_from", "valid_to"]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "search_key", "district_key"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    inlines = [CommuneSuccessionInline, CommuneNameInline]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email", "phone"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(CommuneSuccession)
class CommuneSuccessionAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    """Old commune → new commune links (agencies/data/commune_successors.csv)."""

    list_display = ["predecessor", "successor", "partial", "main"]
    list_filter = ["partial", "main"]
    search_fields = ["predecessor__code", "predecessor__search_key", "successor__search_key"]
    list_select_related = ["predecessor", "successor"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(ProvinceName)
class ProvinceNameAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    """Earlier names and kinds of provinces (agencies/data/province_names.csv), also inline on
    the province."""

    list_display = ["province", "name", "kind", "valid_from", "valid_to", "source"]
    list_filter = ["kind"]
    search_fields = ["name", "province__search_key"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]


@admin.register(CommuneName)
class CommuneNameAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    """Earlier names and kinds of communes (agencies/data/commune_changes.csv), also inline on
    the commune."""

    list_display = ["commune", "name", "kind", "valid_from", "valid_to", "resolution"]
    list_filter = ["kind"]
    search_fields = ["search_key", "commune__code", "commune__search_key"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
