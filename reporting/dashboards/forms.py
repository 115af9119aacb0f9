"""The dashboards' filter form. Filters live in the query string, so a filtered view can be
shared as a link; a value that is not valid is shown with a message beside its field and
ignored."""

from collections import defaultdict
from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.access import access_for
from agencies.models import Agency, Level, Province
from coordination.models import Program, ProgressUpdate, StandardArea
from core.db import vi_order
from core.forms import IdField
from core.prepared import PreparedQuery
from core.text import vi_sort_key
from reporting.figures import NATIONAL, Filters
from reporting.figures.activities import area_title
from reporting.figures.scope import keeps_every_program

# Query-string names of the filters; the lists behind dashboard numbers take the same ones.
PARAMS = ("program", "year", "phase", "province", "area", "standard", "agency")


class IdChoiceField(forms.TypedChoiceField):
    """A row's id among the reader's choices (programs, provinces, agencies), as an int.

    The choices are read as plain values (id, label) and checked here, not through a
    queryset: a ModelChoiceField made a model instance of each of the national overview's
    105 agencies on every request and read a submitted value a second time. A value is
    read as an id as the database would read it (" 5", "05" are 5); one that is not among the
    choices gets ModelChoiceField's message."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)
        self.empty_label = empty_label

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return str(int(value))
        except ValueError:
            return value


def _program_rows(programs: QuerySet) -> QuerySet:
    """The filter's programs in its order (level, then Vietnamese order of the titles), one
    row per task area: id, title, first and last year, area number and title."""
    return programs.order_by("level", vi_order("title")).values_list(
        "pk", "title", "start_year", "end_year", "task_areas__number", "task_areas__title"
    )


# The lists a national reader's form reads on every request, whatever the filters: compiled
# once per connection (the ORM compiled their Vietnamese-collation ordering anew each time).
_EVERY_PROGRAM = PreparedQuery(lambda: _program_rows(Program.objects.all()))
_AGENCIES = PreparedQuery(
    lambda: (
        Agency.objects.active()
        .order_by("level", vi_order("name"))
        .values_list("pk", "name", "level", "province_id")
    )
)


@lru_cache(maxsize=512)
def _name_key(name: str) -> tuple:
    # The same 34 province names on every request: their sort keys worked out once.
    return vi_sort_key(name)


class FilterForm(forms.Form):
    program = IdChoiceField(label=_("Chương trình"), empty_label=_("Tất cả chương trình"))
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, empty_value=None, required=False)
    phase = forms.TypedChoiceField(
        label=_("Giai đoạn"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Tất cả giai đoạn")), (1, _("Giai đoạn 1")), (2, _("Giai đoạn 2"))],
    )
    # A current unit, or 0 (`NATIONAL`) for the national programs to a national reader.
    province = IdChoiceField(label=_("Tỉnh, thành phố"), empty_label=_("Tất cả tỉnh, thành phố"))
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
    agency = IdChoiceField(label=_("Cơ quan"), empty_label=_("Tất cả cơ quan"))

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
        # Each list below is read as plain values by one query and given to its field as
        # choices, which also check a submitted value (`IdChoiceField`): no model instances,
        # and no second query to read the value back.
        program = self.fields["program"]
        titles: dict[int, set[str]] = defaultdict(set)
        listed: dict[int, str] = {}
        first = last = None
        rows = _EVERY_PROGRAM() if keeps_every_program(programs) else _program_rows(programs)
        for pk, title, start, end, number, area_name in rows:
            if pk not in listed:
                listed[pk] = title  # `Program.__str__`
                first = start if first is None else min(first, start)
                last = end if last is None else max(last, end)
            if number is not None:
                titles[number].add(area_name)
        program.choices = [("", program.empty_label), *listed.items()]
        # The reader's programs (id, title) in the filter's order: the overview lists them.
        self.programs = list(listed.items())
        years = range(first, last + 1) if first is not None else []
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(y, str(y)) for y in years]
        province = self.fields["province"]
        if units:
            shown = [units.units[pk] for pk in provinces]
        else:
            shown = Province.objects.filter(pk__in=provinces) if provinces else []
        # Vietnamese order (the database would put Đ after Y); national programs first.
        shown = sorted(shown, key=lambda p: _name_key(p.name))
        reads_everything = access_for(user).reads_everything
        province.choices = (
            [("", province.empty_label)]
            + ([(NATIONAL, _("Trung ương (chương trình toàn quốc)"))] if reads_everything else [])
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
        # Every active agency, central ones first; a reader who does not read everything
        # picks among the central agencies and those of their provinces.
        allowed = set(provinces)
        agency = self.fields["agency"]
        agency.choices = [("", agency.empty_label)] + [
            (pk, name)  # `Agency.__str__`
            for pk, name, level, province_id in _AGENCIES()
            if reads_everything or level == Level.CENTRAL or province_id in allowed
        ]
        for name in fixed:
            self.fields[name].widget = forms.HiddenInput()

    def filters(self) -> Filters:
        """The valid filters; invalid fields are left out (their errors show on the form)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def value(name):
            return None if name in self.errors else data.get(name)

        year = value("year")
        return Filters(
            years=(year,) if year else (),
            phase=value("phase"),
            province_id=value("province"),  # a current unit's id, or NATIONAL (0)
            task_area=value("area"),
            standard_area=value("standard"),
            agency_id=value("agency"),
            program_id=value("program"),
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
