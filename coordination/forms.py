"""Forms of the yearly plan pages. They check the input and show errors next to the fields;
the services do the writing (and their own validation, whose errors the views put back here)."""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Level, Province
from cooperatives.models import Cooperative
from core.db import vi_order
from core.forms import add_service_errors  # noqa: F401 - the views import it from here

from .attachments import check_attachment
from .models import Activity, NtpProject, ProgressUpdate

# A text field in dd/mm/yyyy rather than the browser's date picker, whose format follows the
# browser's language (mm/dd/yyyy on an English browser: 01/03 would be read the wrong way).
DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
)


class VndField(forms.IntegerField):
    """An amount in đồng written as Vietnamese users write it: '1.250.000', '1 250 000 đ'."""

    default_error_messages = {
        "invalid": _("Nhập số tiền bằng chữ số, ví dụ 1.250.000."),
        "min_value": _("Số tiền không được âm."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[.\s,]|đồng|đ", "", value.strip().lower())
        return super().to_python(value)


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm kế hoạch"),
        error_messages={"invalid": _("Nhập năm bằng chữ số, ví dụ 2026.")},
    )
    document_number = forms.CharField(label=_("Số văn bản"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE_WIDGET)
    copy_previous = forms.BooleanField(
        label=_("Sao chép các hoạt động từ kế hoạch năm trước (không sao chép tiến độ)"),
        required=False,
    )
    move_years = forms.BooleanField(
        label=_(
            "Khi sao chép, chuyển năm trong tên hoạt động (ví dụ “Sơ kết năm 2025” thành "
            "“Sơ kết năm 2026”; giai đoạn như “2021–2025” giữ nguyên)"
        ),
        required=False,
        initial=True,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần nêu lý do.")},
    )


class PlanDecisionForm(forms.Form):
    """The signed plan decision (a PDF; its content is checked by the service)."""

    decision = forms.FileField(
        label=_("Quyết định ký (PDF)"),
        help_text=_("Bản chụp hoặc bản điện tử của quyết định ban hành kế hoạch; tối đa 10 MB."),
        error_messages={
            "required": _("Chọn tệp PDF của quyết định đã ký."),
            "empty": _("Tệp rỗng."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class ActivityForm(forms.ModelForm):
    """An activity of `plan`. `version` carries the version the editor started from, so a save
    over someone else's newer change is refused instead of overwriting it."""

    planned_budget = VndField(label=_("Kinh phí dự kiến (đồng)"), initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "task_area",
            "title",
            "description",
            "lead_agency",
            "supporting_agencies",
            "start_date",
            "end_date",
            "planned_budget",
            "budget_source",
            "ntp_projects",
            "indicator",
            "target_value",
            "cooperatives",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "ntp_projects": forms.CheckboxSelectMultiple,
            # A searchable list of checkboxes where JavaScript runs (static/js/app.js); the
            # plain multi-select otherwise.
            "supporting_agencies": forms.SelectMultiple(
                attrs={"size": 5, "data-picker": _("Tìm theo tên hoặc mã…")}
            ),
            "cooperatives": forms.SelectMultiple(
                attrs={"size": 5, "data-picker": _("Tìm theo tên hoặc mã…")}
            ),
        }
        localized_fields = ["target_value"]
        error_messages = {
            "title": {"required": _("Nhập tên hoạt động.")},
            "start_date": {"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
            "end_date": {"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
            "target_value": {"invalid": _("Chỉ tiêu phải là một số, ví dụ 2 hoặc 2,5.")},
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        program = plan.program
        self.fields["task_area"].queryset = program.task_areas.all()
        self.fields["task_area"].empty_label = None
        self.fields["indicator"].queryset = program.indicators.all()
        self.fields["budget_source"].help_text = _("Bắt buộc khi có kinh phí.")
        agencies = agency_choices(program, self.instance)
        self.fields["lead_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        self.fields["cooperatives"].queryset = cooperative_choices(program, self.instance)
        self.fields["ntp_projects"].queryset = NtpProject.objects.all()
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def service_fields(self) -> dict:
        """The cleaned values the services take."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def agency_choices(program, activity: Activity):
    """Agencies offered as lead or supporting: active agencies of the program's province (as it
    is today) or central ones, the program's parties, and those the activity already names."""
    province = program.province.current_unit() if program.province_id else None
    area = Q(level=Level.CENTRAL)
    if province is not None:
        area |= Q(province__in=Province.objects.rolling_up_into(province))
    keep = Q(pk__in=program.parties.values("pk"))
    if activity.pk:
        keep |= Q(pk=activity.lead_agency_id) | Q(pk__in=activity.supporting_agencies.values("pk"))
    return Agency.objects.filter((Q(active=True) & area) | keep).order_by("level", vi_order("name"))


def cooperative_choices(program, activity: Activity):
    """Cooperatives of the program's province (as it is today) and those the activity already
    names. A national program lists only the latter: the whole registry is too long to pick
    from."""
    keep = Q(pk__in=activity.cooperatives.values("pk")) if activity.pk else Q(pk__in=[])
    if program.province_id:
        keep |= Q(province=program.province.current_unit())
    return Cooperative.objects.filter(keep).order_by(vi_order("name"), "pk")


class ProgressForm(forms.ModelForm):
    budget_spent = VndField(label=_("Kinh phí đã sử dụng (đồng)"), initial=0)

    class Meta:
        model = ProgressUpdate
        fields = [
            "reported_on",
            "status",
            "percent",
            "actual_value",
            "result_text",
            "budget_spent",
            "note",
            "attachment",
        ]
        widgets = {
            "reported_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 3}),
            "result_text": forms.Textarea(attrs={"rows": 2}),
        }
        localized_fields = ["actual_value"]
        error_messages = {
            "reported_on": {"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
            "percent": {
                "invalid": _("Tỷ lệ hoàn thành là một số nguyên từ 0 đến 100."),
                "min_value": _("Tỷ lệ hoàn thành phải từ 0 đến 100."),
                "max_value": _("Tỷ lệ hoàn thành phải từ 0 đến 100."),
            },
            "actual_value": {"invalid": _("Kết quả đạt được phải là một số, ví dụ 2 hoặc 2,5.")},
            "attachment": {"empty": _("Tệp rỗng.")},
        }

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        self.fields["reported_on"].initial = timezone.localdate()
        self.fields["attachment"].help_text = _("PDF, Word, Excel, JPEG hoặc PNG; tối đa 10 MB.")
        self.fields["attachment"].widget.attrs["accept"] = (
            ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
        )
        self.fields["actual_value"].label = _("Kết quả đạt được (số, theo chỉ tiêu)")
        self.fields["result_text"].help_text = _("Ví dụ: 2 lớp tập huấn, 80 học viên.")

    def full_clean(self):
        super().full_clean()
        # A browser never fills a file field again: when another field is wrong, say that the
        # chosen file was not kept rather than let it vanish silently.
        upload = self.files.get(self.add_prefix("attachment")) if self.files else None
        if self._errors and upload and "attachment" not in self._errors:
            self._errors["attachment"] = self.error_class(
                [
                    _("Tệp “%(name)s” chưa được lưu vì biểu mẫu còn lỗi: hãy chọn lại tệp.")
                    % {"name": upload.name}
                ]
            )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_attachment(upload)
        return upload

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
