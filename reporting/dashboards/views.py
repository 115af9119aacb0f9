"""Managers' dashboards and the lists behind their numbers. Every page reads the programs the
user may see (`Program.objects.visible_to`), takes its filters from the query string and
renders the dashboards `build` makes; `?xlsx=<table>` downloads one table."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import access_for
from agencies.querysets import successor_path
from coordination.models import Program, YearlyPlan
from core.db import vi_order
from core.xlsx import XLSX_TYPE
from reporting import figures
from reporting.figures.provinces import Units

from . import build, figure_tables
from .cache import cached
from .forms import ActivityListForm, FilterForm, filter_params, query_string
from .rows import activity_rows
from .tables import MONEY, NUMBER, Column, Table, table_xlsx

PAGE_SIZE = 50


def _scope(request):
    """The user's programs and a cache key naming them ("all" for a national reader)."""
    programs = Program.objects.visible_to(request.user)
    if access_for(request.user).reads_everything:
        return programs, "all"
    # The visibility rule looks through activities and their agencies; working it out once
    # keeps it from being repeated inside every dashboard query.
    ids = tuple(programs.order_by("pk").values_list("pk", flat=True))
    return Program.objects.filter(pk__in=ids), ids


def _provinces(request, programs, units: Units | None = None) -> list[int]:
    """The current units the user may pick in the province filter."""
    national = access_for(request.user).reads_everything
    return figures.dashboard_provinces(programs, national=national, units=units)


def _xlsx(table: Table, form: FilterForm) -> HttpResponse:
    response = HttpResponse(table_xlsx(table, subtitle=_describe(form)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{table.filename}"'
    return response


def _describe(form: FilterForm) -> str:
    """The filters in words, written under a downloaded table's title."""
    parts = []
    for name in form.fields:
        if name in form.errors or not form.is_bound:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        # Every filter is a choice (ids included): its label is the one the form shows.
        label = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        parts.append(f"{field.label}: {label}")
    return "; ".join(parts) or _("Không lọc")


def _dashboard_page(
    request, *, key: tuple, programs: tuple | None, make_form, make_dashboard, context: dict
):
    """A dashboard page. The filter form is the reader's own (its choices come from their
    rights) and is rendered on every request; the figures and tables below it are the same
    for everyone with the same `key` (the scope) and filters, so they are cached under those
    (`cached`: a repeated view costs a few small queries) until the data of `programs` (the
    ids of the scope's programs, None for every program) changes. `?xlsx=<table>` writes one
    table of the (also cached) dashboard."""
    today = timezone.localdate()
    form = make_form()
    filters = form.filters()

    def dashboard():
        return cached(
            (*key, filters, today), lambda: make_dashboard(filters, today), programs=programs
        )

    table_key = request.GET.get("xlsx")
    if table_key:
        table = dashboard().tables.get(table_key)
        if table is None:
            raise Http404
        return _xlsx(table, form)

    def figures() -> str:
        built = dashboard()
        return render_to_string(
            "reporting/dashboards/partials/_dashboard_body.html",
            {
                "dashboard": built,
                "query": query_string(built.filters),
                # The scope's programs (id, title), as the form read them for its choices:
                # the same for everyone with this key; the overview lists them.
                "programs": form.programs,
                **context,
            },
            request=request,
        )

    html = cached((*key, "html", filters, today), figures, programs=programs)
    return render(
        request, "reporting/dashboards/dashboard.html", {"body": html, "form": form, **context}
    )


@login_required
def overview(request):
    """Programs, plans, activities, budget, indicators and cooperatives the user may see."""
    programs, scope_key = _scope(request)
    # The provinces, loaded once for the filter form and (when not cached) every figure.
    units = Units.load()
    provinces = _provinces(request, programs, units)

    def make_form():
        return FilterForm(
            request.GET,
            user=request.user,
            programs=programs,
            provinces=provinces,
            default_year=timezone.localdate().year,
            units=units,
        )

    def make_dashboard(filters, today):
        return build.overview(programs, filters, provinces=provinces, today=today, units=units)

    return _dashboard_page(
        request,
        key=("overview", scope_key),
        programs=None if scope_key == "all" else scope_key,
        make_form=make_form,
        make_dashboard=make_dashboard,
        context={"is_overview": True},
    )


@login_required
def program_dashboard(request, pk: int):
    """One program across its years and phases, with its year-by-year trend."""
    program = get_object_or_404(Program.objects.visible_to(request.user), pk=pk)

    def make_form():
        return FilterForm(
            request.GET,
            user=request.user,
            programs=Program.objects.filter(pk=program.pk),
            provinces=[],
            default_year=None,
            fixed=("program", "province", "standard"),
        )

    def make_dashboard(filters, today):
        filters = filters.but(province_id=None)
        return build.program_dashboard(program, filters, today=today)

    return _dashboard_page(
        request,
        key=("program", program.pk),
        programs=(program.pk,),
        make_form=make_form,
        make_dashboard=make_dashboard,
        context={"is_overview": False, "program": program},
    )


def _list_form(request):
    programs, _key = _scope(request)
    # The provinces, loaded once for the province filter's choices and its labels (as the
    # overview does): without them the form read the same provinces again.
    units = Units.load()
    form = FilterForm(
        request.GET,
        user=request.user,
        programs=programs,
        provinces=_provinces(request, programs, units),
        default_year=None,
        units=units,
    )
    return programs, form, form.filters()


def _page(request, rows):
    paginator = Paginator(rows, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _back_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("xlsx", None)
    return params.urlencode()


@login_required
def activity_list(request):
    """The activities behind a dashboard number, with the same filters."""
    programs, form, filters = _list_form(request)
    extra = ActivityListForm(request.GET)
    extra.is_valid()
    options = {k: v for k, v in getattr(extra, "cleaned_data", {}).items() if k not in extra.errors}
    today = timezone.localdate()
    activities = figures.activity_list(
        programs,
        filters,
        status=options.get("status") or None,
        overdue=bool(options.get("overdue")),
        indicator_id=options.get("indicator"),
        today=today,
    ).select_related(
        "plan__program__province__successor", "task_area", successor_path("lead_agency")
    )
    if request.GET.get("xlsx"):
        return _xlsx(_activity_table(activities, title=_("Danh sách hoạt động")), form)
    page = _page(request, activities)
    labels = dict(extra.fields["status"].choices)
    context = {
        "form": form,
        "extra": extra,
        "page": page,
        "rows": activity_rows(page.object_list, status_labels=labels, today=today),
        "today": today,
        "query": _back_query(request),
        "dashboard_url": f"{reverse('reporting:overview')}?{query_string(filters)}",
    }
    return render(request, "reporting/dashboards/activity_list.html", context)


def _activity_table(activities, *, title: str) -> Table:
    table = Table(
        key="activities",
        title=title,
        columns=[
            Column(_("Năm")),
            Column(_("Chương trình")),
            Column(_("Nội dung")),
            Column(_("Hoạt động")),
            Column(_("Đơn vị chủ trì")),
            Column(_("Ngày kết thúc")),
            Column(_("Trạng thái")),
            Column(_("Tỷ lệ hoàn thành (%)"), NUMBER),
            Column(_("Kinh phí dự kiến (đồng)"), MONEY),
            Column(_("Kinh phí đã sử dụng (đồng)"), MONEY),
        ],
    )
    labels = dict(figure_tables.STATUS_LABELS)
    for a in activities.iterator(chunk_size=2000):
        status = a.latest_status or figures.NOT_STARTED
        table.add(
            str(a.plan.year),
            a.plan.program.title,
            str(a.task_area.number),
            a.title,
            a.lead_agency.recorded_label,
            a.end_date.strftime("%d/%m/%Y"),
            str(labels[status]),
            a.latest_percent or 0,
            a.planned_budget,
            a.latest_budget_spent or 0,
        )
    return table


@login_required
def plan_list(request):
    """The yearly plans (or the programs lacking one) behind a plan figure."""
    programs, form, filters = _list_form(request)
    year = filters.years[0] if len(filters.years) == 1 else timezone.localdate().year
    status = request.GET.get("status", "")
    if status == "missing":
        rows = figures.programs_without_plan(programs, year=year, filters=filters)
    else:
        valid = status in YearlyPlan.Status.values
        rows = figures.plan_list(programs, year=year, filters=filters, status=status or None)
        if status and not valid:
            rows = rows.none()
    if request.GET.get("xlsx"):
        table = Table(
            key="plans",
            title=_("Kế hoạch năm %(year)s") % {"year": year},
            columns=[
                Column(_("Tỉnh, thành phố")),
                Column(_("Chương trình")),
                Column(_("Trạng thái")),
            ],
        )
        for row in rows:
            program = row if status == "missing" else row.program
            table.add(
                program.province.current_unit().label if program.province else _("Trung ương"),
                program.title,
                _("Chưa có kế hoạch") if status == "missing" else row.get_status_display(),
            )
        return _xlsx(table, form)
    context = {
        "form": form,
        "year": year,
        "status": status,
        "status_label": _("Chưa có kế hoạch")
        if status == "missing"
        else dict(YearlyPlan.Status.choices).get(status, ""),
        "page": _page(request, rows),
        "status_keep": [("status", status)] if status else [],
        "query": _back_query(request),
        "dashboard_url": f"{reverse('reporting:overview')}?{query_string(filters)}",
    }
    return render(request, "reporting/dashboards/plan_list.html", context)


@login_required
def cooperative_list(request):
    """The cooperatives supported by the counted activities (optionally one sector or OCOP)."""
    programs, form, filters = _list_form(request)
    coops = figures.supported_cooperatives(programs, filters).select_related("province__successor")
    sector = request.GET.get("sector")
    if sector is not None:
        coops = coops.filter(sector="" if sector == "-" else sector)
    ocop = request.GET.get("ocop", "")
    if ocop == "0":
        coops = coops.filter(ocop_stars__isnull=True)
    elif ocop in ("3", "4", "5"):
        coops = coops.filter(ocop_stars=int(ocop))
    # One commune of the "by commune" table (issue 15); 0: those not yet placed in one.
    commune = request.GET.get("commune", "")
    if commune == "0":
        coops = coops.filter(current_commune__isnull=True)
    elif commune.isdigit() and len(commune) < 19:
        coops = coops.filter(current_commune=int(commune))
    else:
        commune = ""
    coops = coops.order_by(vi_order("province__name"), vi_order("name"), "pk")
    if request.GET.get("xlsx"):
        table = Table(
            key="cooperatives",
            title=_("HTX được hỗ trợ"),
            columns=[
                Column(_("Mã số HTX")),
                Column(_("Tên HTX")),
                Column(_("Tỉnh, thành phố")),
                Column(_("Ngành nghề")),
                Column(_("OCOP (số sao)"), NUMBER),
                Column(_("Số thành viên"), NUMBER),
                Column(_("Thành viên là người DTTS"), NUMBER),
            ],
        )
        for c in coops.iterator(chunk_size=2000):
            table.add(
                c.registration_code,
                c.name,
                c.province.recorded_label,
                c.sector,
                c.ocop_stars,
                c.members,
                c.ethnic_minority_members,
            )
        return _xlsx(table, form)
    context = {
        "form": form,
        "sector": sector,
        "ocop": ocop,
        "keep": [
            (k, v) for k, v in (("sector", sector), ("ocop", ocop), ("commune", commune)) if v
        ],
        "page": _page(request, coops),
        "query": _back_query(request),
        "registry_params": filter_params(filters),
        "dashboard_url": f"{reverse('reporting:overview')}?{query_string(filters)}",
    }
    return render(request, "reporting/dashboards/cooperative_list.html", context)
