"""The API's endpoints. Thin, like the pages: each one asks the app's policy (or the same
QuerySet method the page uses) for what the caller may read, applies the page's filters
(api.filters), and serializes; the one write goes through the form's service.

A record the caller may not read is 404, exactly as one that does not exist (as on the pages);
one they may read but not change is 403 with the page's message."""

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency, Province
from agencies.querysets import successor_path
from cooperatives.permissions import cooperative_policy
from coordination import services
from coordination.models import Indicator, PhaseTarget, Program
from coordination.permissions import (
    REPORT,
    activity_policy,
    plan_policy,
    program_policy,
    progress_policy,
)
from core.db import vi_order
from core.permissions import READ
from reporting import figures
from reporting.figures.provinces import Units
from reporting.models import Report
from reporting.reports.permissions import report_policy

from . import filters, serializers


def _query(name: str, type_=OpenApiTypes.STR, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description)


# The dashboards' filters (reporting.dashboards.forms.FilterForm), documented once.
PROGRAM_PARAMETERS = [
    _query("program", OpenApiTypes.INT, "Program id."),
    _query("year", OpenApiTypes.INT, "Plan year."),
    _query("province", OpenApiTypes.INT, "A current province id; includes its former units."),
    _query("agency", OpenApiTypes.INT, "Agency id; includes the agencies it carries on."),
]
PHASE_AREA_PARAMETERS = [
    _query("phase", OpenApiTypes.INT, "Phase number (1, 2) of each program."),
    _query("area", OpenApiTypes.INT, "Task area number (1–5)."),
    _query("standard", OpenApiTypes.INT, "Standard task area (1–5; 0: other) across programs."),
]


def reader_programs(user):
    """The programs `user` may read: every list is narrowed to these, as on the pages."""
    return program_policy.instances(user, READ)


def activity_rows(activities):
    """Activities with what `ActivitySerializer` reads, in a fixed number of queries: the
    latest update joined once (`with_latest_progress`) and the related rows selected; the
    serializer reads the many-to-many ids in one query each (`attach_related_ids`)."""
    return (
        activities.with_latest_progress()
        .annotate(
            latest_update_id=F("latest_update__id"),
            latest_reported_on=F("latest_update__reported_on"),
        )
        .select_related("plan", "task_area", successor_path("lead_agency"))
    )


@extend_schema_view(
    list=extend_schema(
        summary="Provinces, the 63 former and the 34 current units",
        parameters=[
            _query("q", description="Tone-insensitive search on the name."),
            _query("current", OpenApiTypes.BOOL, "Only current (true) or former (false) units."),
        ],
    )
)
class ProvinceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reference data everyone signed in reads: validity dates, successor and today's unit."""

    serializer_class = serializers.ProvinceSerializer

    def get_queryset(self):
        return filters.provinces(self.request, Province.objects.order_by(vi_order("name"), "pk"))

    def get_serializer_context(self):
        # Today's unit of each province, walked through the successors once (one query).
        return {**super().get_serializer_context(), "current_unit_of": Units.load().current_of}


@extend_schema_view(
    list=extend_schema(
        summary="Agencies",
        parameters=[
            _query("q", description="Tone-insensitive search on the name and short name."),
            _query("province", OpenApiTypes.INT, "Province id; includes its former units."),
            _query("kind", description="Agency kind."),
            _query("level", description="central or provincial."),
            _query("active", OpenApiTypes.BOOL),
        ],
    )
)
class AgencyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reference data everyone signed in reads (the pages offer every agency)."""

    serializer_class = serializers.AgencySerializer

    def get_queryset(self):
        return filters.agencies(
            self.request, Agency.objects.order_by("level", vi_order("name"), "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Programs the caller may read, with task areas, phases, indicators and targets",
        parameters=[
            _query("q", description="Tone-insensitive search on title and number."),
            *PROGRAM_PARAMETERS,
        ],
    ),
    retrieve=extend_schema(summary="One program"),
)
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ProgramSerializer

    def get_queryset(self):
        programs = reader_programs(self.request.user)
        if self.action == "list":
            found = filters.program_filters(
                self.request, programs, without=("phase", "area", "standard")
            )
            query = filters.checked(filters.SearchForm(self.request.query_params))["q"]
            programs = figures.scope_programs(programs, found).search(query)
            if found.years:
                programs = programs.filter(
                    start_year__lte=found.years[0], end_year__gte=found.years[0]
                )
        return programs.order_by("level", vi_order("title"), "pk").prefetch_related(
            Prefetch("parties", queryset=Agency.objects.with_successors(names_only=True)),
            "task_areas",
            "phases",
            Prefetch(
                "indicators__targets",
                queryset=PhaseTarget.objects.select_related("phase").order_by("phase__number"),
            ),
        )


@extend_schema_view(
    list=extend_schema(
        summary="Yearly plans the caller may read",
        parameters=[
            *PROGRAM_PARAMETERS,
            _query("status", description="draft, submitted or approved."),
        ],
    ),
    retrieve=extend_schema(summary="One yearly plan with its activities"),
)
class DetailViewSet(viewsets.ReadOnlyModelViewSet):
    """A fuller serializer for one record (`detail_serializer_class`) than for the list."""

    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class


class PlanViewSet(DetailViewSet):
    serializer_class = serializers.PlanSerializer
    detail_serializer_class = serializers.PlanDetailSerializer

    def get_queryset(self):
        plans = plan_policy.instances(self.request.user, READ)
        if self.action == "retrieve":
            return plans.prefetch_related(
                Prefetch(
                    "activities",
                    queryset=activity_rows(activity_policy.instances(self.request.user, READ)),
                    to_attr="api_activities",
                )
            )
        programs = reader_programs(self.request.user)
        found = filters.program_filters(
            self.request, programs, without=("phase", "area", "standard")
        )
        plan_status = filters.checked(filters.PlanStatusForm(self.request.query_params))["status"]
        if found != figures.Filters():
            plans = plans.filter(program__in=figures.scope_programs(programs, found).values("pk"))
        if found.years:
            plans = plans.filter(year__in=found.years)
        if plan_status:
            plans = plans.filter(status=plan_status)
        return plans.order_by("-year", "program_id", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Activities the caller may read, with their latest progress",
        description=(
            "The list behind the dashboards' numbers, with the same filters and counting "
            "rules: an activity's status is its latest update's; `overdue` keeps activities "
            "past their end date that are neither done nor cancelled."
        ),
        parameters=[
            *PROGRAM_PARAMETERS,
            *PHASE_AREA_PARAMETERS,
            _query("status", description="Latest status (not_started includes never reported)."),
            _query("overdue", OpenApiTypes.BOOL),
            _query("indicator", OpenApiTypes.INT, "Activities reporting on this indicator."),
        ],
    ),
    retrieve=extend_schema(summary="One activity"),
)
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ActivitySerializer
    row_count = None  # see api.pagination.CountedPaginator

    def get_queryset(self):
        if self.action == "retrieve":
            return activity_rows(activity_policy.instances(self.request.user, READ))
        programs = reader_programs(self.request.user)
        found = filters.program_filters(self.request, programs)
        options = filters.activity_options(self.request)
        if not options["status"] and not options["overdue"]:
            # The same rows without the latest update's join, which only the status filters
            # need: counting 60,000 activities is most of a page's time otherwise.
            counted = figures.activities_in(programs, found)
            if options["indicator_id"] is not None:
                counted = counted.filter(indicator_id=options["indicator_id"])
            self.row_count = counted.count
        # The dashboards' own list (reporting.figures.activity_list) over the caller's programs,
        # in id order: stable for paging, and read along the primary key instead of sorting
        # every activity of the country by year and program for each page.
        return activity_rows(figures.activity_list(programs, found, **options)).order_by("pk")


@extend_schema_view(
    list=extend_schema(
        summary="Progress updates the caller may read",
        parameters=[
            *PROGRAM_PARAMETERS,
            *PHASE_AREA_PARAMETERS,
            _query("activity", OpenApiTypes.INT, "One activity's updates."),
            _query("status", description="The update's status."),
            _query("latest", OpenApiTypes.BOOL, "Only each activity's latest update (true)."),
        ],
    ),
    retrieve=extend_schema(summary="One progress update"),
    create=extend_schema(
        summary="Record a progress update on an activity",
        description=(
            "Same rules as the activity page's form: the caller must be allowed to report on "
            "the activity (403 otherwise), the date may not be in the future, percent is "
            "0–100 and 100 when done; the attachment (multipart) is a PDF, Word, Excel, JPEG "
            "or PNG file of at most 10 MB. The new update becomes the activity's latest when "
            "it is the newest, and is kept in its history."
        ),
        request={
            "application/json": serializers.ProgressUpdateInputSerializer,
            "multipart/form-data": serializers.ProgressUpdateInputSerializer,
        },
        responses={201: serializers.ProgressUpdateSerializer},
    ),
)
class ProgressUpdateViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ProgressUpdateInputSerializer
        return serializers.ProgressUpdateSerializer

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "attachment_url": lambda pk: reverse("coordination:progress_attachment", args=[pk]),
        }

    def get_serializer(self, *args, **kwargs):
        if self.action == "create":
            kwargs["activities"] = activity_policy.instances(self.request.user, READ)
        return super().get_serializer(*args, **kwargs)

    def get_queryset(self):
        updates = progress_policy.instances(self.request.user, READ).select_related("author")
        if self.action != "list":
            return updates
        programs = reader_programs(self.request.user)
        found = filters.program_filters(self.request, programs)
        options = filters.checked(filters.ProgressFilterForm(self.request.query_params))
        if found != figures.Filters():
            updates = updates.filter(activity__in=figures.activities_in(programs, found))
        if options["activity"] is not None:
            updates = updates.filter(activity_id=options["activity"])
        if options["status"]:
            updates = updates.filter(status=options["status"])
        latest = filters.yes_no(options["latest"])
        if latest is not None:
            updates = updates.filter(is_latest=latest)
        return updates.order_by("-reported_on", "-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        activity = fields.pop("activity")
        # Progress is the lead's, the parties' and the supporting agencies' (as on the page).
        if not activity_policy.allows(request.user, activity, REPORT):
            raise PermissionDenied(activity_policy.refusals[REPORT])
        # The form's service: same validation (a Django ValidationError becomes a 400 with the
        # field's message, api.exceptions), same history and latest flag.
        update = services.progress_record(activity=activity, author=request.user, **fields)
        # The latest flag is set in the database by the save (on this and older updates).
        update.refresh_from_db(fields=["is_latest"])
        shown = serializers.ProgressUpdateSerializer(update, context=self.get_serializer_context())
        return Response(shown.data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="The cooperative registry",
        parameters=[
            _query("q", description="Tone-insensitive search on name, code and address."),
            _query("province", OpenApiTypes.INT, "A current province id; includes former ones."),
            _query("kind"),
            _query("sector"),
            _query("ocop", description="'any' or a number of stars (3, 4, 5)."),
            _query("ethnic_area", description="yes or no."),
            _query("status"),
        ],
    ),
    retrieve=extend_schema(summary="One cooperative"),
)
class CooperativeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CooperativeSerializer

    def get_queryset(self):
        cooperatives = cooperative_policy.instances(self.request.user, READ)
        if self.action == "list":
            criteria = filters.cooperative_criteria(self.request, cooperatives)
            cooperatives = cooperatives.filter_by(**criteria)
        return cooperatives.order_by("search_key", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Finalised annual reviews and phase summaries the caller may read",
        parameters=[
            _query("program", OpenApiTypes.INT),
            _query("year", OpenApiTypes.INT),
            _query("kind", description="annual or phase."),
        ],
    ),
    retrieve=extend_schema(summary="One finalised report with its frozen JSON snapshot"),
)
class ReportViewSet(DetailViewSet):
    """Only finalised reports: a draft still changes, its figures are not a record yet."""

    serializer_class = serializers.ReportSerializer
    detail_serializer_class = serializers.ReportDetailSerializer

    def get_queryset(self):
        reports = (
            report_policy.instances(self.request.user, READ)
            .filter(status=Report.Status.FINALISED)
            .select_related("phase")
        )
        if self.action != "list":
            return reports
        options = filters.checked(filters.ReportFilterForm(self.request.query_params))
        for name, lookup in (("program", "program_id"), ("year", "year"), ("kind", "kind")):
            if options[name] not in (None, ""):
                reports = reports.filter(**{lookup: options[name]})
        return reports.defer("data").order_by("-issued_on", "-pk")


class IndicatorProgressView(APIView):
    @extend_schema(
        summary="An indicator's target against what was achieved, per phase and year",
        description=(
            "The dashboards' counting rules (reporting.figures.indicator_progress): an "
            "activity's achieved value is its latest update's; a year's value is the sum over "
            "that year's activities; the phase combines its years by the indicator's "
            "aggregation (sum, latest, maximum)."
        ),
        parameters=[
            _query("phase", OpenApiTypes.INT, "Only this phase number."),
            _query("province", OpenApiTypes.INT, "A current province id; includes former ones."),
            _query("agency", OpenApiTypes.INT, "Only activities this agency leads or supports."),
        ],
        responses=serializers.IndicatorProgressSerializer,
    )
    def get(self, request, pk: int):
        programs = reader_programs(request.user)
        indicator = get_object_or_404(
            Indicator.objects.filter(program__in=programs.values("pk")), pk=pk
        )
        program = Program.objects.filter(pk=indicator.program_id)
        found = filters.program_filters(
            request, programs, without=("program", "year", "area", "standard")
        )
        numbers = sorted(set(indicator.targets.values_list("phase__number", flat=True)))
        if found.phase is not None:
            numbers = [n for n in numbers if n == found.phase]
        phases = []
        for number in numbers:
            rows = figures.indicator_progress(program, found.but(phase=number))
            phases += [row for row in rows if row.indicator_id == indicator.pk]
        shown = serializers.IndicatorProgressSerializer(indicator, context={"phases": phases})
        return Response(shown.data)
