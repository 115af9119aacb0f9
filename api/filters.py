"""The API's filters are the pages' own: the dashboards' `FilterForm` (program, year, phase,
province — a current unit includes its old ones —, area = task area number, agency) and
`ActivityListForm` (status, overdue, indicator), the registry's `CooperativeFilterForm`, and a
few small forms for what only the API lists (provinces, agencies, plan status, reports).
A page ignores an invalid filter and shows its message beside the field; the API answers 400
with that message under the parameter's name, so a script never gets a silently wider list."""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from agencies.access import access_for
from agencies.models import Agency, Level, Province
from cooperatives.forms import CooperativeFilterForm
from coordination.models import ProgressUpdate, YearlyPlan
from core.forms import IdField
from core.text import search_key
from reporting import figures
from reporting.dashboards.forms import ActivityListForm, FilterForm
from reporting.models import Report


def checked(form: forms.Form) -> dict:
    """The form's cleaned data, or a 400 with its messages by parameter."""
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def program_filters(request, programs, *, without=()) -> figures.Filters:
    """The dashboards' filters read from the query string, for a reader whose programs are
    `programs` (the province choices are the units those roll up into, as on the pages).
    `without` drops filters an endpoint has no use for (they are then not accepted)."""
    national = access_for(request.user).reads_everything
    form = FilterForm(
        request.query_params,
        user=request.user,
        programs=programs,
        provinces=figures.dashboard_provinces(programs, national=national),
        default_year=None,
    )
    for name in without:
        del form.fields[name]
    checked(form)
    return form.filters()


def activity_options(request) -> dict:
    """The activity list's own filters: `status`, `overdue`, `indicator`."""
    data = checked(ActivityListForm(request.query_params))
    return {
        "status": data.get("status") or None,
        "overdue": bool(data.get("overdue")),
        "indicator_id": data.get("indicator"),
    }


def cooperative_criteria(request, cooperatives) -> dict:
    """The registry page's filters, as `CooperativeQuerySet.filter_by` takes them."""
    form = CooperativeFilterForm(request.query_params, sectors=cooperatives.sectors())
    checked(form)
    return form.criteria()


YES_NO = [("", ""), ("true", "true"), ("false", "false")]


def yes_no(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)


class ProvinceFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    current = forms.ChoiceField(label=_("Còn hiệu lực"), choices=YES_NO, required=False)


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    province = IdField(label=_("Tỉnh, thành phố"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại cơ quan"), choices=[("", ""), *Agency.Kind.choices], required=False
    )
    level = forms.ChoiceField(label=_("Cấp"), choices=[("", ""), *Level.choices], required=False)
    active = forms.ChoiceField(label=_("Đang hoạt động"), choices=YES_NO, required=False)


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", ""), *YearlyPlan.Status.choices], required=False
    )


class ProgressFilterForm(forms.Form):
    activity = IdField(label=_("Hoạt động"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", ""), *ProgressUpdate.Status.choices],
        required=False,
    )
    latest = forms.ChoiceField(label=_("Chỉ cập nhật mới nhất"), choices=YES_NO, required=False)


class ReportFilterForm(forms.Form):
    program = IdField(label=_("Chương trình"), required=False)
    year = IdField(label=_("Năm"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại báo cáo"), choices=[("", ""), *Report.Kind.choices], required=False
    )


class PhaseForm(forms.Form):
    phase = forms.TypedChoiceField(
        label=_("Giai đoạn"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", ""), *((n, str(n)) for n in range(1, 10))],
    )


def provinces(request, queryset):
    data = checked(ProvinceFilterForm(request.query_params))
    if data["q"]:
        queryset = queryset.filter(search_key__contains=search_key(data["q"]))
    current = yes_no(data["current"])
    if current is not None:
        queryset = queryset.current() if current else queryset.former()
    return queryset


def agencies(request, queryset):
    data = checked(AgencyFilterForm(request.query_params))
    queryset = queryset.search(data["q"])
    if data["province"] is not None:
        queryset = queryset.filter(
            province__in=Province.objects.rolling_up_into([data["province"]])
        )
    for name in ("kind", "level"):
        if data[name]:
            queryset = queryset.filter(**{name: data[name]})
    active = yes_no(data["active"])
    if active is not None:
        queryset = queryset.filter(active=active)
    return queryset
