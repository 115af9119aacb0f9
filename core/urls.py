"""Background jobs (/cong-viec/): progress pages and result files."""

from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/tep/", views.job_file, name="job_file"),
]
