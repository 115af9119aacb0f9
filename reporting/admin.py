from django.contrib import admin
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ToneInsensitiveSearchMixin

from .models import AnnualReview, Commendation, PhaseSummary, Report, ReportSignatory


class SignatoryInline(admin.TabularInline):
    model = ReportSignatory
    extra = 0
    fields = [
        "agency",
        "parent_name",
        "issuer_name",
        "position",
        "signer_name",
        "finalised_by",
        "finalised_at",
    ]
    readonly_fields = ["agency", "finalised_by", "finalised_at"]
    can_delete = False


@admin.register(Report)
class ReportAdmin(ToneInsensitiveSearchMixin, SimpleHistoryAdmin):
    """Reports are made and finalised on the report pages; the admin reads them."""

    list_display = ["program", "kind", "year", "phase", "version", "status", "generated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["program__search_key"]
    readonly_fields = [
        "program",
        "kind",
        "year",
        "phase",
        "version",
        "status",
        "generated_at",
        "generated_by",
        "finalised_at",
    ]
    exclude = ["data"]
    inlines = [SignatoryInline]

    def has_add_permission(self, request):
        return False


class ReportKindAdmin(ReportAdmin):
    """The reports of one kind (a proxy model). Their history is recorded for Report, not for
    the proxy (simple_history knows no history of a proxy: its pages failed), so the history
    links lead to the report's own history pages."""

    def history_view(self, request, object_id, extra_context=None):
        return redirect("admin:reporting_report_history", object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return redirect("admin:reporting_report_simple_history", object_id, version_id)


@admin.register(AnnualReview)
class AnnualReviewAdmin(ReportKindAdmin):
    list_display = ["program", "year", "version", "status", "generated_at"]


@admin.register(PhaseSummary)
class PhaseSummaryAdmin(ReportKindAdmin):
    list_display = ["program", "phase", "version", "status", "generated_at"]


@admin.register(ReportSignatory)
class ReportSignatoryAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    """Who signs each report and who finalised it; finalising happens on the report page."""

    list_display = ["report", "issuer_name", "position", "signer_name", "finalised_at"]
    search_fields = ["report__program__search_key", "agency__search_key"]
    readonly_fields = ["report", "agency", "finalised_by", "finalised_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Commendation)
class CommendationAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    list_display = ["program", "year", "form", "recipient_kind", "decision_number", "decision_date"]
    list_filter = ["form", "recipient_kind", "year"]
    search_fields = [
        "decision_number",
        "program__search_key",
        "cooperative__search_key",
        "agency__search_key",
    ]
    autocomplete_fields = ["program", "cooperative", "agency"]
