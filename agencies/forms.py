"""Forms of the member, agency and account pages: they parse input; the services decide."""

import datetime
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import mail
from core.forms import add_service_errors  # noqa: F401 - the views' one import
from core.models import OutgoingEmail
from core.people import display_name

from .models import Agency, Membership, NotificationKind, Profile, Province

security_log = logging.getLogger("hopluc.security")

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    # The address becomes the login, which Django keeps to 150 characters.
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=150,
        error_messages={"invalid": _("Nhập một địa chỉ thư điện tử hợp lệ, ví dụ lan@so.gov.vn.")},
    )
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=Membership.Role.choices, initial=Membership.Role.STAFF
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Membership.Role.choices)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "kind",
            "level",
            "province",
            "under_peoples_committee",
            "parent_name",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.current()


class ParentForm(forms.ModelForm):
    """The parent body line of an agency's document headers."""

    class Meta:
        model = Agency
        fields = ["under_peoples_committee", "parent_name"]


class SuccessorForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("Cơ quan kế thừa"),
        queryset=Agency.objects.none(),
        error_messages={"invalid_choice": _("Chọn một cơ quan trong danh sách.")},
    )
    succeeded_on = forms.DateField(
        label=_("Từ ngày"),
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/03/2025.")},
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Agency.objects.active().exclude(pk=agency.pk)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        error_messages={"invalid": _("Nhập một địa chỉ thư điện tử hợp lệ, ví dụ lan@so.gov.vn.")},
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=Profile.Language.choices)
    email_kinds = forms.MultipleChoiceField(
        label=_("Nhận qua thư điện tử (bỏ chọn: chỉ xem trong ứng dụng)"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    @classmethod
    def for_user(cls, user, data=None) -> "ProfileForm":
        profile = Profile.of(user)
        initial = {
            "full_name": display_name(user) if (user.first_name or user.last_name) else "",
            "email": user.email,
            "phone": profile.phone,
            "language": profile.language,
            "email_kinds": [k for k in NotificationKind.values if profile.wants_email(k)],
        }
        return cls(data, initial=initial)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's "forgot password" form, its email sent through the outbox (core.mail) in the
    person's language, so the page never waits for the mail server. Django already finds only
    active accounts with a password, and answers the same whether the address exists or not.

    At most PASSWORD_RESET_EMAILS_PER_HOUR reset emails go to one account in an hour: anyone may
    type an address, and must not be able to flood its inbox (or our mail server's reputation).
    Beyond it the page answers the same (nothing tells whether the address exists) and the
    refusal goes to the security log."""

    KIND = "password_reset"

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        since = timezone.now() - datetime.timedelta(hours=1)
        sent = OutgoingEmail.objects.of_kind_since(user, self.KIND, since).count()
        if sent >= settings.PASSWORD_RESET_EMAILS_PER_HOUR:
            security_log.warning("password reset email limit reached for user %s", user.pk)
            return
        context = {**context, "name": display_name(user), "login": user.get_username()}
        subject, text, html = mail.render_email(
            "agencies/email/password_reset", context, language=Profile.of(user).language
        )
        mail.queue_email(to=user, subject=subject, text=text, html=html, kind=self.KIND)
