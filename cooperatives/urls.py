"""URL space of the cooperative registry (/htx/)."""

from django.urls import path

from . import views

app_name = "cooperatives"

urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("<int:pk>/", views.cooperative_detail, name="detail"),
    path("tim/", views.cooperative_search, name="search"),
    path("can-kiem-tra/", views.cooperative_check, name="check"),
    path("xuat-excel/", views.cooperative_export, name="export"),
    path("mau-nhap/", views.cooperative_template, name="template"),
    path("nhap/", views.cooperative_import, name="import"),
    path("nhap/<int:pk>/", views.cooperative_import_detail, name="import_detail"),
    path("nhap/<int:pk>/xac-nhan/", views.cooperative_import_confirm, name="import_confirm"),
]
