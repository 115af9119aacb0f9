from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.visible_to(request.user)
    page = Paginator(notifications, 50).get_page(request.GET.get("trang"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk: int):
    """Mark the notification read and go to its object (which checks its own access)."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.notification_open(notification=notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return redirect("notifications:list")
