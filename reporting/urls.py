"""URL space of managers' dashboards and the annual review / phase summary reports (/bao-cao/)."""

from django.urls import include, path

app_name = "reporting"

urlpatterns: list = [
    path("", include("reporting.reports.urls")),
]
