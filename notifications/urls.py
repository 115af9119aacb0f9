"""Notifications (/thong-bao/): the list, and opening one (marks it read)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("da-doc/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.notification_open, name="open"),
]
