"""Pages of agencies, their members (/co-quan/) and each person's account (/tai-khoan/).

Thin: each fetches through a policy (agencies/permissions.py), hands the form's data to a
service and shows the result."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.db import vi_order
from core.people import display_name
from core.permissions import READ, WRITE

from . import services
from .forms import (
    AgencyForm,
    InviteForm,
    ParentForm,
    ProfileForm,
    QueuedPasswordResetForm,
    RoleForm,
    SuccessorForm,
    add_service_errors,
)
from .models import Agency, Membership
from .permissions import MANAGE_MEMBERS, agency_policy, member_policy, membership_policy
from .tokens import invitation_token

# --- Members of an agency ---------------------------------------------------------------------


@login_required
def member_list(request, pk: int):
    """The agency's members; its admins also invite, change roles, deactivate, reactivate."""
    agency = member_policy.get_for(request.user, READ, pk=pk)
    can_manage = member_policy.allows(request.user, agency, MANAGE_MEMBERS)
    return _member_page(request, agency, can_manage=can_manage, form=InviteForm())


def _member_page(request, agency: Agency, *, can_manage: bool, form, status=200) -> HttpResponse:
    memberships = (
        agency.memberships.select_related("user")
        .order_by("-user__is_active", "user__last_name", "user__first_name")
        .all()
    )
    context = {
        "agency": agency,
        "memberships": memberships,
        "can_manage": can_manage,
        "form": form,
        "roles": Membership.Role.choices,
    }
    return render(request, "agencies/member_list.html", context, status=status)


@login_required
@require_POST
def member_invite(request, pk: int):
    agency = member_policy.get_for(request.user, MANAGE_MEMBERS, pk=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            membership = services.member_invite(agency=agency, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if membership.user.has_usable_password():
                text = _("Đã thêm %(name)s vào cơ quan.")
            else:
                text = _("Đã gửi thư mời tới %(name)s.")
            messages.success(request, text % {"name": membership.user.email})
            return redirect("agencies:member_list", pk=agency.pk)
    return _member_page(request, agency, can_manage=True, form=form, status=400)


@login_required
@require_POST
def member_role(request, pk: int):
    membership = membership_policy.get_for(request.user, WRITE, _memberships(), pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        services.membership_set_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
        messages.success(
            request,
            _("%(name)s: vai trò mới là %(role)s.")
            % {"name": display_name(membership.user), "role": membership.get_role_display()},
        )
    else:
        messages.error(request, _("Vai trò không hợp lệ."))
    return redirect("agencies:member_list", pk=membership.agency_id)


@login_required
@require_POST
def member_deactivate(request, pk: int):
    membership = membership_policy.get_for(request.user, WRITE, _memberships(), pk=pk)
    services.user_deactivate(user=membership.user, by=request.user)
    messages.success(
        request,
        _("Đã khóa tài khoản của %(name)s; các phiên đăng nhập của họ đã kết thúc.")
        % {"name": display_name(membership.user)},
    )
    return redirect("agencies:member_list", pk=membership.agency_id)


@login_required
@require_POST
def member_reactivate(request, pk: int):
    membership = membership_policy.get_for(request.user, WRITE, _memberships(), pk=pk)
    services.user_reactivate(user=membership.user, by=request.user)
    messages.success(
        request, _("Đã mở lại tài khoản của %(name)s.") % {"name": display_name(membership.user)}
    )
    return redirect("agencies:member_list", pk=membership.agency_id)


def _memberships():
    return Membership.objects.select_related("user", "agency")


# --- Agencies (central admins) ----------------------------------------------------------------


@login_required
def agency_list(request):
    agency_policy.require_any(request.user, WRITE)
    query = request.GET.get("q", "")[:100]
    agencies = (
        Agency.objects.search(query)
        .with_history()
        .order_by("level", "province__code", vi_order("name"))
    )
    return render(request, "agencies/agency_list.html", {"agencies": agencies, "q": query})


@login_required
def agency_create(request):
    agency_policy.require_any(request.user, WRITE)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo cơ quan %(name)s.") % {"name": agency.name})
            return redirect("agencies:agency_list")
    return render(request, "agencies/agency_form.html", {"form": form})


@login_required
def agency_parent(request, pk: int):
    agency = agency_policy.get_for(request.user, WRITE, pk=pk)
    form = ParentForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_set_parent(
                agency=Agency.objects.get(pk=agency.pk), by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu cơ quan chủ quản."))
            return redirect("agencies:agency_list")
    return render(request, "agencies/agency_parent.html", {"agency": agency, "form": form})


@login_required
def agency_successor(request, pk: int):
    agency = agency_policy.get_for(request.user, WRITE, pk=pk)
    form = SuccessorForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_record_successor(
                agency=agency,
                successor=form.cleaned_data["successor"],
                on=form.cleaned_data["succeeded_on"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận cơ quan kế thừa."))
            return redirect("agencies:agency_list")
    return render(request, "agencies/agency_successor.html", {"agency": agency, "form": form})


# --- One's own account (/tai-khoan/) ----------------------------------------------------------


@login_required
def profile(request):
    form = ProfileForm.for_user(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            response = redirect("agencies:profile")
            # The interface follows the chosen language too (Django's language cookie).
            response.set_cookie("django_language", saved.language, samesite="Lax")
            return response
    memberships = (
        Membership.objects.of(request.user)
        .select_related("agency")
        .order_by(vi_order("agency__name"))
    )
    managed = set(Agency.objects.members_managed_by(request.user).values_list("pk", flat=True))
    context = {
        "form": form,
        "memberships": memberships,
        "managed": managed,
        "manages_agencies": agency_policy.allows_any(request.user, WRITE),
    }
    return render(request, "agencies/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "agencies/password_change.html"
    success_url = reverse_lazy("agencies:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "agencies/password_reset_form.html"
    success_url = reverse_lazy("agencies:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "agencies/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of a password reset, or (with the invitation's token) of an invitation: a form
    to set a new password; the link then stops working."""

    template_name = "agencies/set_password.html"
    success_url = reverse_lazy("login")
    heading = gettext_lazy("Đặt lại mật khẩu")
    done = gettext_lazy("Đã đặt mật khẩu mới. Mời đăng nhập.")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": self.heading}

    def form_valid(self, form):
        messages.success(self.request, self.done)
        return super().form_valid(form)


class InvitationAcceptView(PasswordResetConfirmView):
    token_generator = invitation_token
    heading = gettext_lazy("Đặt mật khẩu cho tài khoản mới")
    done = gettext_lazy("Đã đặt mật khẩu. Mời đăng nhập bằng địa chỉ thư điện tử của bạn.")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.info(
            self.request,
            _("Tên đăng nhập của bạn: %(login)s") % {"login": form.user.get_username()},
        )
        return response
