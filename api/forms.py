from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class TokenForm(forms.ModelForm):
    """A new token: a name to recognise it by and an optional last day of validity."""

    class Meta:
        model = ApiToken
        fields = ["name", "expires_on"]
        widgets = {
            "expires_on": forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
            )
        }
        help_texts = {
            "name": _("Ví dụ: Báo cáo tự động của Sở, Máy tính của tôi."),
            "expires_on": _("Để trống nếu mã không hết hạn; mã dùng được đến hết ngày này."),
        }
        error_messages = {"expires_on": {"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")}}
