"""URL space of managers' dashboards and the annual review / phase summary reports (/bao-cao/)."""

from django.urls import include, path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("chuong-trinh/<int:pk>/", views.program_dashboard, name="program"),
    path("hoat-dong/", views.activity_list, name="activities"),
    path("ke-hoach/", views.plan_list, name="plans"),
    path("htx/", views.cooperative_list, name="cooperatives"),
    # Sơ kết / tổng kết reports and commendations (URL names start with "report_").
    path("", include("reporting.reports.urls")),
]
