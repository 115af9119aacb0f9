"""URL space of managers' dashboards and the annual review / phase summary reports (/bao-cao/)."""

from django.urls import include, path

app_name = "reporting"

urlpatterns = [
    path("", include("reporting.dashboards.urls")),
    # Sơ kết / tổng kết reports and commendations (URL names start with "report_").
    path("", include("reporting.reports.urls")),
]
