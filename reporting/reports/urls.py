"""URLs of the sơ kết / tổng kết reports and commendations, included by `reporting.urls` (so
they live in the `reporting` namespace; every name starts with `report_`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("so-ket-tong-ket/", views.report_index, name="report_index"),
    # Named for the links other pages make to it (program=<id>&period=annual-2026).
    path("tinh-hinh-bao-cao/", views.who_has_reported, name="who_has_reported"),
    path(
        "so-ket-tong-ket/chuong-trinh/<int:program_id>/",
        views.report_program,
        name="report_program",
    ),
    path("so-ket-tong-ket/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "so-ket-tong-ket/<int:pk>/muc/<slug:section>/", views.report_section, name="report_section"
    ),
    path("so-ket-tong-ket/<int:pk>/thong-tin/", views.report_header, name="report_header"),
    path("so-ket-tong-ket/<int:pk>/cap-nhat-so-lieu/", views.report_refresh, name="report_refresh"),
    path(
        "so-ket-tong-ket/<int:pk>/phien-ban-moi/",
        views.report_new_version,
        name="report_new_version",
    ),
    path("so-ket-tong-ket/<int:pk>/xac-nhan/", views.report_finalise, name="report_finalise"),
    path("so-ket-tong-ket/<int:pk>/bao-cao.docx", views.report_docx, name="report_docx"),
    path("so-ket-tong-ket/<int:pk>/phu-luc/", views.report_xlsx, name="report_xlsx"),
    path(
        "khen-thuong/chuong-trinh/<int:program_id>/",
        views.commendation_list,
        name="report_commendations",
    ),
    path("khen-thuong/<int:pk>/", views.commendation_edit, name="report_commendation_edit"),
    path("khen-thuong/<int:pk>/xoa/", views.commendation_delete, name="report_commendation_delete"),
]
