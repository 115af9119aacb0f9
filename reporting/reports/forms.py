"""Forms of the report pages. They validate input; the views hand `cleaned_data` to the
services."""

import datetime

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from cooperatives.models import Cooperative
from cooperatives.picker import CooperativePickerField, pickable
from coordination import periods
from coordination.models import Program
from core.db import vi_order
from core.text import clean_text

from .models import Commendation, Report, ReportSignatory
from .snapshot import ANNUAL, HALF, PHASE, YEARLY


class GenerateForm(forms.Form):
    """Which report to start: the sơ kết of a year or the tổng kết of a phase."""

    period = forms.ChoiceField(label=_("Kỳ báo cáo"))

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        this_year = timezone.localdate().year
        years = [y for y in program.years if y <= this_year] or list(program.years)[:1]
        choices = [
            (f"{ANNUAL}:{year}", _("Sơ kết năm %(year)s") % {"year": year})
            for year in reversed(years)
        ]
        if program.half_year_review:
            choices += [
                (f"{HALF}:{year}", _("Sơ kết 6 tháng đầu năm %(year)s") % {"year": year})
                for year in reversed(years)
            ]
        choices += [
            (
                f"{PHASE}:{phase.pk}",
                _("Tổng kết giai đoạn %(start)s–%(end)s")
                % {"start": phase.start_year, "end": phase.end_year},
            )
            for phase in program.phases.all()
        ]
        self.fields["period"].choices = choices

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if not period:
            return cleaned
        kind, _sep, value = period.partition(":")
        cleaned["kind"] = kind
        if kind in YEARLY:
            cleaned["year"], cleaned["phase"] = int(value), None
        else:
            cleaned["year"], cleaned["phase"] = None, self.program.phases.get(pk=int(value))
        return cleaned


class SectionForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50_000,
    )


class HeaderForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["doc_number", "doc_symbol", "place", "issued_on", "recipients"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 6})}

    def clean_doc_number(self):
        value = clean_text(self.cleaned_data["doc_number"])
        if value and not value.isdigit():
            raise forms.ValidationError(_("Số văn bản chỉ gồm chữ số, ví dụ 05."))
        return value

    def clean_recipients(self):
        value = self.cleaned_data["recipients"]
        if not any(line.strip(" -;.,") for line in value.splitlines()):
            raise forms.ValidationError(_("Cần ít nhất một nơi nhận."))
        return value


SignatoryFormSet = forms.modelformset_factory(
    ReportSignatory,
    fields=["parent_name", "issuer_name", "position", "signer_name"],
    extra=0,
    can_delete=False,
    # One block per party agency. A posted form count is believed only this far: Django's
    # default (2,000 forms) let one request build and redraw thousands of forms.
    max_num=50,
    absolute_max=50,
)


class CommendationForm(forms.ModelForm):
    """A commendation. The cooperative is picked by name in a search box (the registry may hold
    35,000 of them, too many for a list: `cooperatives.picker`), or typed as a code or an exact
    name without JavaScript; only those of the program's province (today's unit, its old units
    included; the whole registry for a national program) that the user may see are accepted."""

    cooperative = CooperativePickerField(
        label=_("Hợp tác xã"),
        help_text=_(
            "Gõ một phần tên hoặc mã số HTX (không cần dấu) rồi chọn trong danh sách; "
            "hoặc nhập mã số HTX hay tên đầy đủ."
        ),
    )

    class Meta:
        model = Commendation
        fields = [
            "year",
            "recipient_kind",
            "cooperative",
            "agency",
            "person_name",
            "person_position",
            "form",
            "authority",
            "decision_number",
            "decision_date",
            "reason",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, program: Program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["agency"].queryset = Agency.objects.active().order_by("level", vi_order("name"))
        self.fields["year"].widget = forms.Select(
            choices=[(y, y) for y in reversed(list(program.years))]
        )
        province = program.province.current_unit() if program.province_id else None
        reach = pickable(user=user, province=province)
        if self.instance.cooperative_id:
            # A commendation keeps its cooperative even if the province's list changed since.
            reach = Cooperative.objects.filter(
                Q(pk__in=reach.values("pk")) | Q(pk=self.instance.cooperative_id)
            )
            self.initial["cooperative"] = self.instance.cooperative
        field = self.fields["cooperative"]
        field.queryset = reach
        query = f"?province={province.pk}" if province else ""
        field.search_url = reverse("cooperatives:search") + query
        if province is not None:
            field.out_of_reach = _(
                "HTX “%(name)s” không thuộc %(province)s, tỉnh của chương trình này."
            ) % {"province": province.label, "name": "%(name)s"}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("recipient_kind") == Commendation.RecipientKind.COOPERATIVE and not (
            cleaned.get("cooperative") or self.has_error("cooperative")
        ):
            self.add_error("cooperative", _("Chọn HTX được khen thưởng."))
        return cleaned


class WhoHasReportedForm(forms.Form):
    """The filters of the "who has reported" page: a national program (or one of the reader's
    own programs) and a period ('annual-2026', 'half-2026'). An invalid value is shown on its
    field and the default is used instead, as on the dashboards."""

    program = forms.ChoiceField(label=_("Chương trình"), required=False)
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), required=False)

    def __init__(self, *args, programs, national_only: bool, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # A national reader picks among the national programs (each brings its provinces);
        # a provincial manager among their own programs.
        offered = programs.filter(level="central") if national_only else programs
        self.programs = {
            p.pk: p for p in offered.select_related("province").order_by("level", vi_order("title"))
        }
        choices = [("", _("Tất cả chương trình được theo dõi"))]
        choices += [(str(pk), p.title) for pk, p in self.programs.items()]
        self.fields["program"].choices = choices
        years = range(today.year + 1, 2020, -1)
        self.fields["period"].choices = [
            (f"{kind}-{year}", label % {"year": year})
            for year in years
            for kind, label in (
                (periods.ANNUAL, _("Sơ kết năm %(year)s")),
                (periods.HALF, _("Sơ kết 6 tháng đầu năm %(year)s")),
            )
        ]

    def selection(self) -> tuple[str, int, Program | None]:
        """(kind, year, program) chosen; the defaults where nothing valid was given: the
        annual period holding today, every program the reader oversees."""
        default = periods.window(periods.ANNUAL, self.today.year)
        year = self.today.year + 1 if self.today > default[1] else self.today.year
        kind, program = periods.ANNUAL, None
        if self.is_bound and self.is_valid():
            parsed = periods.parse_key(self.cleaned_data["period"])
            if parsed:
                kind, year = parsed
            if self.cleaned_data["program"]:
                program = self.programs[int(self.cleaned_data["program"])]
        return kind, year, program
