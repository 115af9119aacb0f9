"""The dashboards' filter form. Filters live in the query string, so a filtered view can be
shared as a link; a value that is not valid is shown with a message beside its field and
ignored."""

from collections import defaultdict
from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.access import access_for
from agencies.models import Agency, Province
from coordination.models import Program, ProgressUpdate, StandardArea
from core.db import vi_order
from core.forms import IdField
from core.text import vi_sort_key
from reporting.figures import NATIONAL, Filters
from reporting.figures.activities import area_title

# Query-string names of the filters; the lists behind dashboard numbers take the same ones.
PARAMS = ("program", "year", "phase", "province", "area", "standard", "agency")


class ProvinceChoiceField(forms.ModelChoiceField):
    """A current unit, or '0' for the national programs (the 'Trung ương' row)."""

    def label_from_instance(self, obj):
        return obj.label

    def to_python(self, value):
        if str(value) == str(NATIONAL) and self.allow_national:
            return NATIONAL
        return super().to_python(value)

    allow_national = False


class FilterForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Chương trình"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("Tất cả chương trình"),
    )
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, empty_value=None, required=False)
    phase = forms.TypedChoiceField(
        label=_("Giai đoạn"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Tất cả giai đoạn")), (1, _("Giai đoạn 1")), (2, _("Giai đoạn 2"))],
    )
    province = ProvinceChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Tất cả tỉnh, thành phố"),
    )
    area = forms.TypedChoiceField(
        label=_("Nội dung phối hợp"), coerce=int, empty_value=None, required=False
    )
    # Across programs an area is what it is (its standard area), not its number.
    standard = forms.TypedChoiceField(
        label=_("Nội dung chuẩn"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Tất cả nội dung chuẩn")), *StandardArea.choices],
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )

    def __init__(
        self, data, *, user, programs, provinces: list[int], default_year, fixed=(), units=None
    ):
        """`programs`: the reader's programs; `provinces`: the current units they may pick;
        `default_year` applies when the query string has no `year` at all (an empty `year`
        means every year); `fixed` names fields the page sets itself (hidden); `units` the
        provinces already loaded (`reporting.figures.provinces.Units`), if the page has them."""
        data = data.copy()
        if "year" not in data and default_year is not None:
            data["year"] = str(default_year)
        super().__init__(data)
        # Each list below is read by one plain query and given to its field as choices (the
        # querysets stay, to check a submitted value): a ModelChoiceField would otherwise list
        # its rows through a server-side cursor, three round trips on PostgreSQL.
        program = self.fields["program"]
        program.queryset = programs.order_by("level", vi_order("title"))
        titles: dict[int, set[str]] = defaultdict(set)
        listed: dict[int, str] = {}
        first = last = None
        rows = program.queryset.values_list(
            "pk", "title", "start_year", "end_year", "task_areas__number", "task_areas__title"
        )
        for pk, title, start, end, number, area_name in rows:
            if pk not in listed:
                listed[pk] = title  # `Program.__str__`, which the field would show
                first = start if first is None else min(first, start)
                last = end if last is None else max(last, end)
            if number is not None:
                titles[number].add(area_name)
        program.choices = [("", program.empty_label), *listed.items()]
        years = range(first, last + 1) if first is not None else []
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(y, str(y)) for y in years]
        province = self.fields["province"]
        province.queryset = Province.objects.filter(pk__in=provinces)
        shown = [units.units[pk] for pk in provinces] if units else province.queryset
        # Vietnamese order (the database would put Đ after Y); national programs first.
        shown = sorted(shown, key=lambda p: vi_sort_key(p.name))
        province.allow_national = access_for(user).reads_everything
        province.choices = (
            [("", province.empty_label)]
            + (
                [(NATIONAL, _("Trung ương (chương trình toàn quốc)"))]
                if province.allow_national
                else []
            )
            + [(p.pk, p.label) for p in shown]
        )
        self.fields["area"].choices = [("", _("Tất cả nội dung"))] + [
            (n, f"{n}. {area_title(n, titles[n])}") for n in sorted(titles)
        ]
        if len(listed) > 1 and not data.get("area"):
            # Across programs an area number means nothing (An Giang's task 6 is not another
            # program's area 6): readers pick a standard area; `area` is shown only when a
            # link or a hand-written address sets it (with its message if it is wrong).
            fixed = (*fixed, "area")
        agencies = Agency.objects.active()
        if not access_for(user).reads_everything:
            agencies = agencies.filter(Q(province__in=provinces) | Q(level="central"))
        agency = self.fields["agency"]
        agency.queryset = agencies.order_by("level", vi_order("name"))
        agency.choices = [("", agency.empty_label)] + [
            (a.pk, agency.label_from_instance(a)) for a in agency.queryset
        ]
        for name in fixed:
            self.fields[name].widget = forms.HiddenInput()

    def filters(self) -> Filters:
        """The valid filters; invalid fields are left out (their errors show on the form)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def value(name):
            return None if name in self.errors else data.get(name)

        program, province, agency = value("program"), value("province"), value("agency")
        year = value("year")
        return Filters(
            years=(year,) if year else (),
            phase=value("phase"),
            province_id=province if province == NATIONAL else (province.pk if province else None),
            task_area=value("area"),
            standard_area=value("standard"),
            agency_id=agency.pk if agency else None,
            program_id=program.pk if program else None,
        )


def filter_params(filters: Filters, **extra) -> dict[str, str]:
    """Query-string parameters that reproduce `filters` (plus `extra`, e.g. status=done).
    `year` is always written, empty for every year, so a list keeps the dashboard's choice."""
    params = {
        "program": filters.program_id,
        "year": filters.years[0] if len(filters.years) == 1 else "",
        "phase": filters.phase,
        "province": filters.province_id,
        "area": filters.task_area,
        "standard": filters.standard_area,
        "agency": filters.agency_id,
        **extra,
    }
    return {k: str(v) for k, v in params.items() if v is not None and (v != "" or k == "year")}


def query_string(filters: Filters, **extra) -> str:
    """`filter_params` as a query string. A national overview links some 700 numbers, most
    with the same filters and one extra key: the filters' part is encoded once per filters."""
    if extra.keys() & _FILTER_KEYS:  # an extra key replaces a filter's value in place
        return urlencode(filter_params(filters, **extra))
    # Keyed on the values as written (1 and True would be one key of the cache).
    more = _extra_query(tuple((k, str(v)) for k, v in extra.items() if v is not None))
    base = _filters_query(filters)  # never empty: `year` is always written
    return f"{base}&{more}" if more else base


_FILTER_KEYS = frozenset(PARAMS)


@lru_cache(maxsize=512)
def _filters_query(filters: Filters) -> str:
    return urlencode(filter_params(filters))


@lru_cache(maxsize=4096)
def _extra_query(extra: tuple[tuple[str, str], ...]) -> str:
    # The same few extra keys recur on every overview (a status, an indicator's id): encoded
    # once per process (1,000 `urlencode` calls a national overview, its indicator table's).
    return urlencode({k: v for k, v in extra if v != ""})


STATUS_CHOICES = [("", _("Tất cả"))] + list(ProgressUpdate.Status.choices)


class ActivityListForm(forms.Form):
    """The extra keys of the activity list: a status, overdue only, one indicator."""

    status = forms.ChoiceField(label=_("Trạng thái"), choices=STATUS_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Chỉ hoạt động quá hạn"), required=False)
    indicator = IdField(required=False, widget=forms.HiddenInput)
