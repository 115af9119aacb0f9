from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Hợp Lực — quản trị")
admin.site.site_title = _("Hợp Lực")
admin.site.index_title = _("Quản trị dữ liệu")

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("cong-viec/", include("core.urls")),
    # People: agencies and their members, one's own account (agencies/urls.py).
    path("", include("agencies.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("htx/", include("cooperatives.urls")),
    path("bao-cao/", include("reporting.urls")),
    path("api/v1/", include("api.urls")),
    path("tai-khoan/api-token/", include("api.token_urls")),
    path("", include("coordination.urls")),
]

# Uploaded files are never served from MEDIA_URL, not even with DEBUG: each app serves its
# files through a view that checks who may read the record they belong to.
