from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("", views.home, name="home"),
    path("chuong-trinh/<int:pk>/", views.program_detail, name="program_detail"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("xuat-excel/", views.program_export, name="program_export"),
]
