"""/api/v1/: the endpoints (a router without format suffixes or root view: every URL is one
resource), the OpenAPI schema and its documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from . import (
    schema,  # noqa: F401 - registers the token scheme with drf-spectacular
    views,
)

app_name = "api"

router = SimpleRouter()
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="progress-update")
router.register("cooperatives", views.CooperativeViewSet, basename="cooperative")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    *router.urls,
    path(
        "indicators/<int:pk>/progress/",
        views.IndicatorProgressView.as_view(),
        name="indicator-progress",
    ),
    # Public: they describe the interface and hold no data (docs/decisions.md).
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            permission_classes=[AllowAny],
            authentication_classes=[],
        ),
        name="docs",
    ),
]
