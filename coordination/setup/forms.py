"""Forms of the program setup pages. The models' `clean()` runs in each ModelForm, so a rule
broken (a phase outside the program's years) shows on its field; the services write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Level, Province
from core.db import vi_order

from ..forms import DATE_WIDGET
from ..models import (
    Indicator,
    Phase,
    PhaseTarget,
    Program,
    StandardArea,
    TaskArea,
    validate_parties,
)
from ..permissions import REGISTER, may_register, register_policy

# Fields left empty keep the program's value (the model's default for a new one).
KEPT_WHEN_EMPTY = (
    "plan_deadline_day",
    "plan_deadline_month",
    "annual_deadline_rule",
    "annual_deadline_value",
    "half_deadline_rule",
    "half_deadline_value",
)
YEAR_ERRORS = {"invalid": _("Nhập năm bằng chữ số, ví dụ 2026.")}


class ProgramForm(forms.ModelForm):
    """A program's facts from its signed document. Registering (no instance yet) also asks for
    the document and offers the standard task areas and phases; `user` decides which
    provinces and agencies are offered and whether they may register the program."""

    document = forms.FileField(
        label=_("Văn bản ký (PDF)"),
        help_text=_("Bản chụp hoặc bản điện tử của văn bản đã ký; tối đa 10 MB."),
        error_messages={"required": _("Chọn tệp PDF của văn bản đã ký."), "empty": _("Tệp rỗng.")},
    )
    standard_task_areas = forms.BooleanField(
        label=_("Tạo năm nội dung phối hợp chuẩn (sửa được sau)"), required=False, initial=True
    )
    standard_phases = forms.BooleanField(
        label=_("Chia giai đoạn 2021–2025 và 2026–2030 trong thời gian chương trình"),
        required=False,
        initial=True,
    )

    class Meta:
        model = Program
        fields = [
            "kind",
            "number",
            "title",
            "level",
            "province",
            "parties",
            "signed_on",
            "start_year",
            "end_year",
            "legal_basis",
            "plan_deadline_day",
            "plan_deadline_month",
            "half_year_review",
            "annual_deadline_rule",
            "annual_deadline_value",
            "half_deadline_rule",
            "half_deadline_value",
            "closes_periods",
            "national_program",
        ]
        widgets = {
            "parties": forms.CheckboxSelectMultiple,
            "signed_on": DATE_WIDGET,
            "title": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "start_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "end_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "number": _("Ví dụ 01/CTr-SDTTG-LMHTX."),
            "parties": _(
                "Chương trình phối hợp có ít nhất hai cơ quan, trong đó có cơ quan của bạn."
            ),
            "province": _("Để trống với chương trình cấp trung ương."),
            "national_program": _(
                "Với chương trình cấp tỉnh: chương trình trung ương mà chương trình này thực "
                "hiện. Báo cáo sơ kết, tổng kết đã hoàn thành được gửi lên chương trình đó."
            ),
            "plan_deadline_day": _(
                "Kế hoạch năm phải trình trước ngày này của năm kế hoạch (mặc định 31/1); "
                "nhắc việc được gửi trước hạn."
            ),
            "half_year_review": _(
                "Sơ kết năm (15/12 năm trước – 14/12) luôn có; sơ kết 6 tháng: 15/12 năm trước – "
                "14/6 (Nghị định 09/2019/NĐ-CP)."
            ),
            "annual_deadline_value": _(
                "Ví dụ 20: ngày 20/12; hoặc 5 ngày làm việc sau 14/12 (trừ thứ Bảy, Chủ nhật, "
                "ngày lễ, Tết)."
            ),
        }
        error_messages = {
            "title": {"required": _("Nhập tên chương trình.")},
            "signed_on": {"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
            "start_year": {"required": _("Nhập năm bắt đầu."), **YEAR_ERRORS},
            "end_year": {"required": _("Nhập năm kết thúc."), **YEAR_ERRORS},
            "parties": {"required": _("Chọn các cơ quan tham gia.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.registering = self.instance.pk is None
        # The plan and report deadlines keep their defaults (or the program's own) when left
        # empty.
        for name in KEPT_WHEN_EMPTY:
            self.fields[name].required = False
        if self.registering and not self.is_bound:
            # New programs close their periods after the deadline (docs/decisions.md).
            self.initial.setdefault("closes_periods", True)
        own = register_policy.instances(user, REGISTER).select_related("province")
        units = {a.province.current_unit() for a in own if a.province_id}
        provinces = Province.objects.rolling_up_into(units) if units else Province.objects.none()
        keep = Q(pk=self.instance.province_id) if self.instance.province_id else Q(pk__in=[])
        self.fields["province"].queryset = Province.objects.filter(
            Q(pk__in=provinces.values("pk")) | keep
        ).order_by("valid_to", vi_order("name"))
        agencies = Q(active=True) & (Q(level=Level.CENTRAL) | Q(province__in=provinces))
        if not self.registering:
            agencies |= Q(pk__in=self.instance.parties.values("pk"))
        self.fields["parties"].queryset = Agency.objects.filter(agencies).order_by(
            "level", vi_order("name")
        )
        self.fields["level"].choices = Level.choices
        self.fields["national_program"].queryset = Program.objects.filter(
            level=Level.CENTRAL
        ).order_by("-start_year", "title")
        if self.registering:
            mine = next(iter(own), None)
            if mine is not None and not self.is_bound:
                self.initial.setdefault("level", mine.level)
                self.initial.setdefault("parties", [mine.pk])
                if mine.province_id:
                    self.initial.setdefault("province", mine.province.current_unit().pk)
        else:
            self.fields["document"].required = False
            self.fields["document"].label = _("Thay văn bản ký (PDF)")
            del self.fields["standard_task_areas"], self.fields["standard_phases"]
        self.fields["document"].widget.attrs["accept"] = ".pdf,application/pdf"

    def clean(self):
        data = super().clean()
        parties, kind, level = data.get("parties"), data.get("kind"), data.get("level")
        if parties and kind:
            try:
                validate_parties(kind, list(parties))
            except forms.ValidationError as error:
                self.add_error(None, error)
        if (
            self.registering
            and parties
            and level
            and "parties" not in self.errors
            and not may_register(
                self.user, level=level, province=data.get("province"), parties=parties
            )
        ):
            self.add_error(
                "parties",
                _(
                    "Cơ quan tham gia phải gồm cơ quan mà bạn là lãnh đạo hoặc quản trị viên, "
                    "cùng cấp và cùng tỉnh với chương trình."
                ),
            )
        return data

    def proposed_phases(self) -> list[tuple[int, int]]:
        """The standard phases of the program being registered, when asked for."""
        if not self.cleaned_data.get("standard_phases"):
            return []
        program = Program(
            start_year=self.cleaned_data["start_year"], end_year=self.cleaned_data["end_year"]
        )
        return program.standard_phases()

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name in KEPT_WHEN_EMPTY:
            if fields[name] in (None, ""):
                fields[name] = getattr(self.instance, name)
        return fields


class TaskAreaForm(forms.ModelForm):
    """A task area's wording and the standard area it counts under nationally; left empty
    when adding, the standard area is the one its wording names (`StandardArea.for_title`)."""

    standard_area = forms.TypedChoiceField(
        label=_("Thuộc nội dung chuẩn"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Dùng để tổng hợp toàn quốc theo năm nội dung phối hợp chuẩn."),
    )

    class Meta:
        model = TaskArea
        fields = ["title", "standard_area"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"title": {"required": _("Nhập nội dung phối hợp.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["standard_area"]
        if self.instance.pk:
            field.choices = StandardArea.choices  # left out of a post: unchanged
        else:
            field.choices = [("", _("Theo tên nội dung")), *StandardArea.choices]


class PhaseForm(forms.ModelForm):
    """A phase of `program`: the model's rules (inside the program, no overlap) show on the
    years."""

    class Meta:
        model = Phase
        fields = ["start_year", "end_year"]
        widgets = {
            "start_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "end_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "start_year": {"required": _("Nhập năm bắt đầu."), **YEAR_ERRORS},
            "end_year": {"required": _("Nhập năm kết thúc."), **YEAR_ERRORS},
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program


class IndicatorForm(forms.ModelForm):
    """An indicator of `program` with one target field per phase ('01', '≥ 1' or '2–3';
    empty for none)."""

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "task_area", "aggregation", "baseline"]
        localized_fields = ["baseline"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "code": {"required": _("Nhập mã chỉ số.")},
            "name": {"required": _("Nhập tên chỉ số.")},
            "unit": {"required": _("Nhập đơn vị tính.")},
            "baseline": {"invalid": _("Giá trị cơ sở phải là một số, ví dụ 2 hoặc 2,5.")},
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["task_area"].queryset = program.task_areas.all()
        self.phases = list(program.phases.all())
        current = (
            {t.phase_id: t.display for t in self.instance.targets.all()} if self.instance.pk else {}
        )
        for phase in self.phases:
            self.fields[f"target_{phase.pk}"] = forms.CharField(
                label=_("Chỉ tiêu %(phase)s") % {"phase": phase},
                required=False,
                max_length=50,
                initial=current.get(phase.pk, ""),
                help_text=_("Một số (01) hoặc một khoảng (2–3); để trống nếu chưa giao."),
            )

    def clean(self):
        data = super().clean()
        for phase in self.phases:
            name = f"target_{phase.pk}"
            if data.get(name):
                try:
                    PhaseTarget.parse(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def clean_code(self):
        # Unique within the program, which is not a field of the form (so Django skips it).
        code = self.cleaned_data["code"].strip()
        others = Indicator.objects.filter(program=self.instance.program, code=code)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Chương trình đã có chỉ số mã %(code)s.") % {"code": code}
            )
        return code

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def targets(self) -> dict[Phase, str]:
        return {phase: self.cleaned_data.get(f"target_{phase.pk}", "") for phase in self.phases}
