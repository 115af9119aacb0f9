from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, ToneInsensitiveSearchMixin

from .models import (
    Activity,
    ActivityTally,
    CooperativeReach,
    Indicator,
    NtpProject,
    PeriodReopening,
    Phase,
    PhaseTarget,
    PlanApproval,
    Program,
    ProgressUpdate,
    SupportedCooperative,
    TaskArea,
    YearlyPlan,
    validate_parties,
)
from .periods import closed_message


class ProgramAdminForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "title",
            "number",
            "kind",
            "level",
            "province",
            "parties",
            "signed_on",
            "start_year",
            "end_year",
            "legal_basis",
        ]

    def clean(self):
        cleaned = super().clean()
        parties = cleaned.get("parties")
        if parties is not None and cleaned.get("kind"):
            try:
                validate_parties(cleaned["kind"], list(parties))
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class TaskAreaInline(admin.TabularInline):
    model = TaskArea
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Program)
class ProgramAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    form = ProgramAdminForm
    list_display = ["title", "number", "kind", "level", "province", "start_year", "end_year"]
    list_filter = ["kind", "level"]
    search_fields = ["search_key"]
    list_select_related = ["province"]
    autocomplete_fields = ["province", "parties"]
    inlines = [TaskAreaInline, PhaseInline]


class PhaseTargetInline(admin.TabularInline):
    model = PhaseTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ToneInsensitiveSearchMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "aggregation", "program", "task_area"]
    list_filter = ["aggregation"]
    search_fields = ["code", "program__search_key"]
    list_select_related = ["program", "task_area"]
    inlines = [PhaseTargetInline]


class PlanApprovalInline(admin.TabularInline):
    """Approvals are recorded by the plan workflow (coordination.services), never by hand."""

    model = PlanApproval
    extra = 0
    can_delete = False
    fields = readonly_fields = ["round", "agency", "decision", "reason", "decided_by", "decided_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NtpProject)
class NtpProjectAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(YearlyPlan)
class YearlyPlanAdmin(ToneInsensitiveSearchMixin, SimpleHistoryAdmin):
    list_display = ["program", "year", "status", "document_number", "issued_on"]
    list_filter = ["status", "year"]
    # The status moves only through submission, approval, return and reopening (the pages).
    readonly_fields = ["status"]
    inlines = [PlanApprovalInline]
    search_fields = ["program__search_key", "document_number"]
    list_select_related = ["program"]


@admin.register(Activity)
class ActivityAdmin(ToneInsensitiveSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "plan",
        "task_area",
        "lead_agency",
        "start_date",
        "end_date",
        "planned_budget",
    ]
    list_filter = ["plan__year", "task_area__number", "budget_source"]
    search_fields = ["title", "plan__program__search_key"]
    list_select_related = ["plan__program", "task_area", "lead_agency"]
    autocomplete_fields = ["lead_agency", "supporting_agencies", "cooperatives"]
    filter_horizontal = ["ntp_projects"]
    raw_id_fields = ["plan"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "reported_on", "status", "percent", "budget_spent", "author"]
    list_filter = ["status", "reported_on"]
    list_select_related = ["activity", "author"]
    raw_id_fields = ["activity"]

    # Progress dated in a closed reporting period stays as it is (`closing_period`); the form's
    # `clean()` refuses moving an update into one.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.closing_period() is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.closing_period() is not None:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        closed = [
            u for u in queryset.select_related("activity__plan__program") if u.closing_period()
        ]
        if closed:
            self.message_user(
                request, closed_message(closed[0].closing_period()), level=messages.ERROR
            )
            return
        super().delete_queryset(request, queryset)


@admin.register(PeriodReopening)
class PeriodReopeningAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: reopenings are made and closed on the program's setup page (the history)."""

    list_display = ["program", "kind", "year", "reopened_by", "reopened_at", "until", "closed_at"]
    list_filter = ["kind", "year"]
    list_select_related = ["program", "reopened_by"]

    can_delete_rows = False


@admin.register(TaskArea)
class TaskAreaAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    list_display = ["number", "title", "program"]
    list_filter = ["number"]
    search_fields = ["title", "program__search_key"]
    list_select_related = ["program"]


@admin.register(Phase)
class PhaseAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    list_display = ["program", "number", "start_year", "end_year"]
    list_filter = ["start_year", "end_year"]
    search_fields = ["program__search_key"]
    list_select_related = ["program"]


@admin.register(PhaseTarget)
class PhaseTargetAdmin(ToneInsensitiveSearchMixin, admin.ModelAdmin):
    list_display = ["indicator", "phase", "target_min", "target_max"]
    list_filter = ["phase__start_year"]
    search_fields = ["indicator__code", "indicator__program__search_key"]
    list_select_related = ["indicator", "phase__program"]


@admin.register(PlanApproval)
class PlanApprovalAdmin(ReadOnlyAdminMixin, ToneInsensitiveSearchMixin, admin.ModelAdmin):
    """Read-only: approvals and returns are recorded by the plan workflow services only."""

    list_display = ["plan", "round", "agency", "decision", "decided_by", "decided_at"]
    list_filter = ["decision", "decided_at"]
    search_fields = ["plan__program__search_key", "agency__search_key"]
    list_select_related = ["plan__program", "agency", "decided_by"]

    can_delete_rows = False


class SummaryAdmin(ReadOnlyAdminMixin, ToneInsensitiveSearchMixin, admin.ModelAdmin):
    """Read-only: the dashboards' summary rows are recounted from the activities by every write
    (`coordination.models.summary`); `manage.py rebuild_summary` mends them."""

    search_fields = ["plan__program__search_key"]
    list_select_related = ["plan__program", "task_area"]

    can_delete_rows = False


class TallyStatusFilter(admin.SimpleListFilter):
    """The tally's status by its label (the summary stores the code only)."""

    title = _("trạng thái")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ProgressUpdate.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(ActivityTally)
class ActivityTallyAdmin(SummaryAdmin):
    list_display = ["plan", "task_area", "status_label", "due", "activities", "budget_spent"]
    list_filter = [TallyStatusFilter]

    @admin.display(description=_("trạng thái"), ordering="status")
    def status_label(self, tally: ActivityTally) -> str:
        # The summary stores the status code (no choices: the migration filling it runs the
        # same code); the label is the progress update's.
        return ProgressUpdate.Status(tally.status).label


@admin.register(SupportedCooperative)
class SupportedCooperativeAdmin(SummaryAdmin):
    list_display = ["plan", "task_area", "cooperative"]
    list_select_related = ["plan__program", "task_area", "cooperative"]


@admin.register(CooperativeReach)
class CooperativeReachAdmin(SummaryAdmin):
    list_display = ["program", "plan", "cooperatives"]
    search_fields = ["program__search_key"]
    list_select_related = ["program", "plan__program"]
