"""What the API returns: the models' own field names (English, snake_case), dates in ISO 8601,
amounts in VND as integers, decimals (values, targets) as strings so nothing is rounded; ids for
related records, with a nested summary where a reader would otherwise need a second call.

Every serializer reads only what its view selected or prefetched: the views' query counts do
not grow with the page size (api/tests/test_queries.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency, Province
from cooperatives.models import Cooperative
from coordination.models import (
    Activity,
    Indicator,
    Phase,
    PhaseTarget,
    Program,
    ProgressUpdate,
    TaskArea,
    YearlyPlan,
)
from core.people import display_name
from reporting.models import Report


class ProvinceSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True)
    current_unit = serializers.SerializerMethodField()

    class Meta:
        model = Province
        fields = [
            "id", "code", "name", "full_name", "kind", "valid_from", "valid_to", "is_current",
            "successor", "current_unit", "former_names",
        ]  # fmt: skip

    @extend_schema_field(serializers.IntegerField())
    def get_current_unit(self, province) -> int:
        """Today's unit carrying this one on, from the view's successor map (no query)."""
        return self.context["current_unit_of"][province.pk]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "kind", "level", "province", "successor", "active"]


class AgencyBriefSerializer(serializers.ModelSerializer):
    # The agency as recorded and, when another carries it on today, that one (as the pages).
    recorded_label = serializers.CharField(read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "recorded_label"]


class TaskAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskArea
        fields = ["id", "number", "title"]


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "number", "start_year", "end_year"]


class PhaseTargetSerializer(serializers.ModelSerializer):
    phase_number = serializers.IntegerField(source="phase.number", read_only=True)
    display = serializers.CharField(read_only=True)

    class Meta:
        model = PhaseTarget
        fields = ["phase", "phase_number", "target_min", "target_max", "display"]


class IndicatorSerializer(serializers.ModelSerializer):
    phase_targets = PhaseTargetSerializer(source="targets", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "unit", "aggregation", "task_area", "phase_targets"]


class ProgramSerializer(serializers.ModelSerializer):
    parties = AgencyBriefSerializer(many=True, read_only=True)
    task_areas = TaskAreaSerializer(many=True, read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id", "title", "number", "kind", "level", "province", "parties", "signed_on",
            "start_year", "end_year", "legal_basis", "task_areas", "phases", "indicators",
        ]  # fmt: skip


class LatestProgressSerializer(serializers.Serializer):
    """The activity's state: its latest progress update (null when never reported on)."""

    id = serializers.IntegerField()
    reported_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ProgressUpdate.Status.choices)
    percent = serializers.IntegerField()
    actual_value = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    budget_spent = serializers.IntegerField()


# One instance for every row: building a serializer per activity costs more than the row.
LATEST_PROGRESS = LatestProgressSerializer()


def attach_related_ids(activities: list[Activity]) -> None:
    """Set `related_ids` on each activity: its supporting agencies, cooperatives and NTP project
    numbers, read as plain id pairs (three queries for any number of activities; a prefetch
    would build a model instance for each related row, most of a page's time)."""
    ids = [activity.pk for activity in activities]
    found = {pk: {"supporting_agencies": [], "cooperatives": [], "ntp_projects": []} for pk in ids}
    sources = {
        "supporting_agencies": Activity.supporting_agencies.through.objects.values_list(
            "activity_id", "agency_id"
        ).order_by("agency_id"),
        "cooperatives": Activity.cooperatives.through.objects.values_list(
            "activity_id", "cooperative_id"
        ).order_by("cooperative_id"),
        "ntp_projects": Activity.ntp_projects.through.objects.values_list(
            "activity_id", "ntpproject__number"
        ).order_by("ntpproject__number"),
    }
    if ids:
        for name, pairs in sources.items():
            for activity_id, value in pairs.filter(activity_id__in=ids):
                found[activity_id][name].append(value)
    for activity in activities:
        activity.related_ids = found[activity.pk]


class ActivityListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        activities = list(data.all() if hasattr(data, "all") else data)
        attach_related_ids(activities)
        return super().to_representation(activities)


class ActivitySerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="plan.program_id", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    task_area = TaskAreaSerializer(read_only=True)
    lead_agency = AgencyBriefSerializer(read_only=True)
    supporting_agencies = serializers.ListField(
        child=serializers.IntegerField(), source="related_ids.supporting_agencies", read_only=True
    )
    cooperatives = serializers.ListField(
        child=serializers.IntegerField(), source="related_ids.cooperatives", read_only=True
    )
    ntp_projects = serializers.ListField(
        child=serializers.IntegerField(),
        source="related_ids.ntp_projects",
        read_only=True,
        help_text="Numbers (1–10) of the National Target Program 1719 projects it serves.",
    )
    latest_progress = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        list_serializer_class = ActivityListSerializer
        fields = [
            "id", "plan", "program", "year", "task_area", "title", "description", "lead_agency",
            "supporting_agencies", "start_date", "end_date", "planned_budget", "budget_source",
            "ntp_projects", "indicator", "target_value", "cooperatives", "version",
            "latest_progress", "overdue",
        ]  # fmt: skip

    def to_representation(self, instance):
        if not hasattr(instance, "related_ids"):  # one activity, not through the list
            attach_related_ids([instance])
        return super().to_representation(instance)

    @extend_schema_field(LatestProgressSerializer(allow_null=True))
    def get_latest_progress(self, activity):
        """From the annotations of `with_latest_progress()` (api.views.activity_rows)."""
        if activity.latest_status is None:
            return None
        return LATEST_PROGRESS.to_representation(
            {
                "id": activity.latest_update_id,
                "reported_on": activity.latest_reported_on,
                "status": activity.latest_status,
                "percent": activity.latest_percent,
                "actual_value": activity.latest_actual_value,
                "budget_spent": activity.latest_budget_spent,
            }
        )

    def get_overdue(self, activity) -> bool:
        """`Activity.is_overdue`, the rule every page shows (from the annotated status)."""
        return activity.is_overdue(self.context.setdefault("today", timezone.localdate()))


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = YearlyPlan
        fields = [
            "id", "program", "year", "status", "document_number", "issued_on", "version",
            "submission_round", "created_at", "updated_at",
        ]  # fmt: skip


class PlanDetailSerializer(PlanSerializer):
    activities = ActivitySerializer(many=True, read_only=True, source="api_activities")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "activities"]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    """A progress update as read; `attachment` is the URL of the permission-checked download."""

    attachment = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id", "activity", "reported_on", "status", "percent", "actual_value",
            "budget_spent", "note", "attachment", "attachment_name", "author", "created_at",
            "is_latest",
        ]  # fmt: skip

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_attachment(self, update) -> str | None:
        if not update.attachment:
            return None
        return self.context["request"].build_absolute_uri(self.context["attachment_url"](update.pk))

    def get_author(self, update) -> str:
        return display_name(update.author) if update.author else ""


class ProgressUpdateInputSerializer(serializers.ModelSerializer):
    """What `POST /api/v1/progress-updates/` takes (JSON, or multipart with an attachment): the
    form's fields under the model's names. The activity must be one the caller may read (else
    it is 'not found', as a missing one); the rest is checked by `progress_record`, the form's
    service."""

    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.none(),
        error_messages={
            # The same for an activity that does not exist and one the caller may not read.
            "does_not_exist": _("Không tìm thấy hoạt động mã {pk_value}."),
            "incorrect_type": _("Mã hoạt động phải là một số nguyên."),
        },
    )
    attachment = serializers.FileField(required=False, allow_empty_file=False)

    class Meta:
        model = ProgressUpdate
        fields = [
            "activity", "reported_on", "status", "percent", "actual_value", "budget_spent",
            "note", "attachment",
        ]  # fmt: skip
        extra_kwargs = {"percent": {"required": True}}

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activities is not None:
            self.fields["activity"].queryset = activities


class CooperativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cooperative
        fields = [
            "id", "registration_code", "name", "kind", "province", "province_as_written",
            "district", "commune", "address", "established_on", "representative", "phone",
            "members", "ethnic_minority_members", "sector", "charter_capital", "revenue",
            "rating", "ocop_stars", "ocop_products", "vietgap", "organic", "high_tech",
            "digital_transformation", "ecommerce", "in_ethnic_minority_area", "status",
            "created_at", "updated_at",
        ]  # fmt: skip


class ReportSerializer(serializers.ModelSerializer):
    phase_number = serializers.IntegerField(source="phase.number", read_only=True, default=None)

    class Meta:
        model = Report
        fields = [
            "id", "program", "kind", "year", "phase", "phase_number", "version", "status",
            "doc_number", "doc_symbol", "place", "issued_on", "generated_at", "finalised_at",
        ]  # fmt: skip


class ReportDetailSerializer(ReportSerializer):
    """A finalised report: its frozen snapshot (`data`, every figure as computed when it was
    generated) and the narrative sections its authors wrote."""

    data = serializers.JSONField(read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields, "recipients", "situation", "achievements",
            "limitations", "lessons", "directions", "proposals", "data",
        ]  # fmt: skip


class YearValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)


class PhaseProgressSerializer(serializers.Serializer):
    """One phase of an indicator: its target against what its years achieved (figures'
    `IndicatorProgress`, the dashboards' counting rules)."""

    phase = serializers.IntegerField(source="phase_id")
    phase_number = serializers.IntegerField()
    start_year = serializers.IntegerField(source="phase_start")
    end_year = serializers.IntegerField(source="phase_end")
    target_min = serializers.DecimalField(max_digits=18, decimal_places=2)
    target_max = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    target_display = serializers.CharField()
    yearly = serializers.SerializerMethodField()
    achieved = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=12, decimal_places=1)
    met = serializers.BooleanField()

    @extend_schema_field(YearValueSerializer(many=True))
    def get_yearly(self, progress):
        return YearValueSerializer(
            [{"year": year, "value": value} for year, value in progress.yearly], many=True
        ).data


class IndicatorProgressSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="program_id", read_only=True)
    phases = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["id", "program", "code", "name", "unit", "aggregation", "phases"]

    @extend_schema_field(PhaseProgressSerializer(many=True))
    def get_phases(self, indicator):
        return PhaseProgressSerializer(self.context["phases"], many=True).data
