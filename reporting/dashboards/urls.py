"""URLs of the dashboards and the lists behind their numbers, included by `reporting.urls` (so
they live in the `reporting` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("chuong-trinh/<int:pk>/", views.program_dashboard, name="program"),
    path("hoat-dong/", views.activity_list, name="activities"),
    path("ke-hoach/", views.plan_list, name="plans"),
    path("htx/", views.cooperative_list, name="cooperatives"),
]
