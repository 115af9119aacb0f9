from django.urls import path

from . import views
from .setup import calendar
from .setup import views as setup

app_name = "coordination"

urlpatterns = [
    path("", views.home, name="home"),
    path("chuong-trinh/<int:pk>/", views.program_detail, name="program_detail"),
    # Registering and setting up a program (coordination/setup/).
    path("chuong-trinh/them/", setup.program_register, name="program_register"),
    path("chuong-trinh/<int:pk>/thiet-lap/", setup.program_setup, name="program_setup"),
    path("chuong-trinh/<int:pk>/sua/", setup.program_edit, name="program_edit"),
    path("chuong-trinh/<int:pk>/van-ban/", setup.program_document, name="program_document"),
    path("chuong-trinh/<int:pk>/ky-bao-cao/mo-lai/", calendar.period_reopen, name="period_reopen"),
    path(
        "chuong-trinh/<int:pk>/ky-bao-cao/<int:reopening_pk>/khoa-lai/",
        calendar.period_close,
        name="period_close",
    ),
    path("chuong-trinh/<int:pk>/noi-dung/them/", setup.task_area_add, name="task_area_add"),
    path(
        "chuong-trinh/<int:pk>/noi-dung/<int:area_pk>/sua/",
        setup.task_area_edit,
        name="task_area_edit",
    ),
    path(
        "chuong-trinh/<int:pk>/noi-dung/<int:area_pk>/chuyen/",
        setup.task_area_move,
        name="task_area_move",
    ),
    path(
        "chuong-trinh/<int:pk>/noi-dung/<int:area_pk>/xoa/",
        setup.task_area_delete,
        name="task_area_delete",
    ),
    path("chuong-trinh/<int:pk>/giai-doan/them/", setup.phase_add, name="phase_add"),
    path(
        "chuong-trinh/<int:pk>/giai-doan/<int:phase_pk>/sua/",
        setup.phase_edit,
        name="phase_edit",
    ),
    path(
        "chuong-trinh/<int:pk>/giai-doan/<int:phase_pk>/xoa/",
        setup.phase_delete,
        name="phase_delete",
    ),
    path("chuong-trinh/<int:pk>/chi-so/them/", setup.indicator_add, name="indicator_add"),
    path(
        "chuong-trinh/<int:pk>/chi-so/<int:indicator_pk>/sua/",
        setup.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "chuong-trinh/<int:pk>/chi-so/<int:indicator_pk>/xoa/",
        setup.indicator_delete,
        name="indicator_delete",
    ),
    path("chuong-trinh/<int:program_pk>/ke-hoach/them/", views.plan_create, name="plan_create"),
    path("ke-hoach/cua-toi/", views.my_plans, name="my_plans"),
    path("ke-hoach/cho-duyet/", views.plans_awaiting_approval, name="plans_awaiting_approval"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("xuat-excel/", views.program_export, name="program_export"),
    path("ke-hoach/<int:pk>/trinh-duyet/", views.plan_submit, name="plan_submit"),
    path(
        "ke-hoach/<int:pk>/ke-hoach.docx", views.plan_download, {"kind": "docx"}, name="plan_docx"
    ),
    path(
        "ke-hoach/<int:pk>/ke-hoach.xlsx", views.plan_download, {"kind": "xlsx"}, name="plan_xlsx"
    ),
    path("ke-hoach/<int:pk>/rut-lai/", views.plan_withdraw, name="plan_withdraw"),
    path("ke-hoach/<int:pk>/quyet-dinh/", views.plan_decision, name="plan_decision"),
    path(
        "ke-hoach/<int:pk>/quyet-dinh/tai-len/",
        views.plan_decision_upload,
        name="plan_decision_upload",
    ),
    path("ke-hoach/<int:pk>/phe-duyet/", views.plan_approve, name="plan_approve"),
    path("ke-hoach/<int:pk>/tra-lai/", views.plan_return, name="plan_return"),
    path("ke-hoach/<int:pk>/mo-lai/", views.plan_reopen, name="plan_reopen"),
    path("ke-hoach/<int:plan_pk>/hoat-dong/them/", views.activity_create, name="activity_create"),
    path("hoat-dong/qua-han/", views.overdue_activities, name="overdue_activities"),
    path("hoat-dong/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("hoat-dong/<int:pk>/sua/", views.activity_edit, name="activity_edit"),
    path("hoat-dong/<int:pk>/xoa/", views.activity_delete, name="activity_delete"),
    path("hoat-dong/<int:activity_pk>/tien-do/", views.progress_create, name="progress_create"),
    path("tien-do/<int:pk>/tep/", views.progress_attachment, name="progress_attachment"),
]
