"""Agencies and their members (/co-quan/), and each person's account (/tai-khoan/)."""

from django.urls import include, path

from . import views

app_name = "agencies"

agency_patterns = [
    path("", views.agency_list, name="agency_list"),
    path("them/", views.agency_create, name="agency_create"),
    path("<int:pk>/ke-thua/", views.agency_successor, name="agency_successor"),
    path("<int:pk>/chu-quan/", views.agency_parent, name="agency_parent"),
    path("<int:pk>/thanh-vien/", views.member_list, name="member_list"),
    path("<int:pk>/thanh-vien/moi/", views.member_invite, name="member_invite"),
    path("thanh-vien/<int:pk>/vai-tro/", views.member_role, name="member_role"),
    path("thanh-vien/<int:pk>/khoa/", views.member_deactivate, name="member_deactivate"),
    path("thanh-vien/<int:pk>/mo-khoa/", views.member_reactivate, name="member_reactivate"),
]

account_patterns = [
    path("", views.profile, name="profile"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "loi-moi/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]

urlpatterns = [
    path("co-quan/", include(agency_patterns)),
    path("tai-khoan/", include(account_patterns)),
]
