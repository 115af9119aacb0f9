"""Pages of the coordination app. Views are thin: they fetch what they work on through the
models' permission policies (`plan_policy.get_for(user, action, pk=…)`: 404 when the user may
not see it, 403 when they may not do the action), ask the page summaries which workflow steps
to offer (`plan_permissions`, `activity_permissions`), hand the form's cleaned data to a
service and show the result. Pages work without JavaScript; with htmx (`request.htmx`, from
django-htmx), activity forms open and save in place and the plan's body is redrawn."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from agencies.access import access_for
from agencies.models import Agency
from agencies.querysets import successor_path
from cooperatives.models import Cooperative
from core import jobs
from core.db import vi_order
from core.links import pk_link
from core.permissions import READ, WRITE
from core.text import vi_sort_key

from . import documents, services, tasks
from .attachments import download
from .forms import (
    ActivityForm,
    PlanCreateForm,
    PlanDecisionForm,
    ProgressForm,
    ReasonForm,
    add_service_errors,
)
from .history import activity_history, plan_history
from .models import Activity, PhaseTarget, Program, YearlyPlan
from .permissions import (
    APPROVE,
    REGISTER,
    REPORT,
    SETUP,
    activity_permissions,
    activity_policy,
    plan_permissions,
    plan_policy,
    program_policy,
    progress_policy,
    register_policy,
)
from .selectors import ALL_AREAS, SOURCES, party_decisions, plan_is_folded, plan_overview


@login_required
def home(request):
    """The programs the user may see, searchable without tone marks."""
    query = request.GET.get("q", "").strip()
    programs = (
        Program.objects.visible_to(request.user)
        .search(query)
        .select_related("province__successor")
        .prefetch_related(Prefetch("parties", queryset=Agency.objects.with_successors()))
        .annotate(plan_count=Count("plans", distinct=True))
    )
    programs = sorted(programs, key=lambda p: (p.level != "central", vi_sort_key(p.title)))
    return render(
        request,
        "coordination/home.html",
        {
            "programs": programs,
            "query": query,
            "can_register": register_policy.allows_any(request.user, REGISTER),
        },
    )


@login_required
def program_detail(request, pk: int):
    """Phases, task areas, indicators with their phase targets, and yearly plans of one program."""
    program = program_policy.get_for(
        request.user,
        READ,
        Program.objects.select_related("province__successor").prefetch_related(
            Prefetch("parties", queryset=Agency.objects.with_successors()),
            "phases",
            "task_areas",
            Prefetch("indicators__targets", queryset=PhaseTarget.objects.select_related("phase")),
            "indicators__task_area",
        ),
        pk=pk,
    )
    plans = program.plans.annotate(
        activity_count=Count("activities"), budget=Sum("activities__planned_budget")
    ).order_by("-year")
    return render(
        request,
        "coordination/program_detail.html",
        {
            "program": program,
            "plans": plans,
            "can_create_plan": program_policy.allows(request.user, program, WRITE),
            "can_setup": program_policy.allows(request.user, program, SETUP),
        },
    )


# --- yearly plans ---------------------------------------------------------------------------
def _plan_queryset():
    return YearlyPlan.objects.select_related("program")


def _open_area(request) -> int | str | None:
    """The task area a folded plan shows open: `?noi_dung=<id>` (or `tat-ca` for all) on the
    page, or on the page an htmx request was sent from."""
    value = request.GET.get("noi_dung")
    if value is None and request.htmx:
        query = urlsplit(request.htmx.current_url or "").query
        value = (parse_qs(query).get("noi_dung") or [None])[0]
    if value == "tat-ca":
        return ALL_AREAS
    return int(value) if value and value.isdigit() else None


def _plan_body_context(request, plan: YearlyPlan, open_area: int | str | None = None) -> dict:
    permissions = plan_permissions(request.user, plan)
    shown = _open_area(request)
    if open_area is not None and shown != ALL_AREAS:
        shown = open_area
    overview = plan_overview(plan, fold_at=settings.PLAN_FOLD_AT, open_area=shown)
    links = {
        name: pk_link(f"coordination:{view}")
        for name, view in [
            ("detail", "activity_detail"),
            ("edit", "activity_edit"),
            ("delete", "activity_delete"),
            ("progress", "progress_create"),
        ]
    }
    for group in overview.groups:
        for activity in group.activities:
            activity.permissions = permissions.for_activity(activity)
            activity.links = {name: link(activity.pk) for name, link in links.items()}
    source_labels = dict(Activity.BudgetSource.choices)
    return {
        "plan": plan,
        "overview": overview,
        "permissions": permissions,
        "sources": [(s, source_labels.get(s, _("Chưa xác định nguồn"))) for s in SOURCES],
        "htmx": bool(request.htmx),
    }


def _plan_body(request, plan: YearlyPlan, open_area: int | None = None) -> HttpResponse:
    """The plan's task areas and totals, redrawn in place after an htmx change."""
    response = render(
        request,
        "coordination/partials/_plan_body.html",
        _plan_body_context(request, plan, open_area),
    )
    response["HX-Retarget"] = "#plan-body"
    response["HX-Reswap"] = "outerHTML"
    return response


def _back_to_plan(request, plan: YearlyPlan, area_id: int | None = None) -> HttpResponse:
    """After a change: the redrawn plan body for htmx, otherwise a redirect to the plan page;
    with the changed activity's task area open when the plan is folded."""
    if bool(request.htmx):
        return _plan_body(request, plan, area_id)
    if area_id and plan_is_folded(plan, fold_at=settings.PLAN_FOLD_AT):
        return redirect(f"{plan.get_absolute_url()}?noi_dung={area_id}#area-{area_id}")
    return redirect(plan)


@login_required
def plan_detail(request, pk: int):
    """A yearly plan: activities under the program's task areas with totals per task area and
    budget source, who has and has not approved, and the latest changes."""
    plan = plan_policy.get_for(request.user, READ, _plan_queryset(), pk=pk)
    context = _plan_body_context(request, plan)
    opened = [g for g in context["overview"].groups if g.activities]
    if context["htmx"] and len(opened) == 1 and request.htmx.target == f"area-{opened[0].area.pk}":
        # A task area of a folded plan opened in place: that section alone.
        response = render(
            request, "coordination/partials/_task_area.html", {**context, "group": opened[0]}
        )
    elif context["htmx"]:
        response = render(request, "coordination/partials/_plan_body.html", context)
    else:
        context.update(decisions=party_decisions(plan), history=plan_history(plan))
        response = render(request, "coordination/plan_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def plan_create(request, program_pk: int):
    """Start a yearly plan of a program, empty or as a copy of last year's plan."""
    program = program_policy.get_for(request.user, WRITE, pk=program_pk)
    years = set(program.plans.values_list("year", flat=True))
    year = max(years) + 1 if years else max(program.start_year, timezone.localdate().year)
    year = min(year, program.end_year)
    form = PlanCreateForm(
        request.POST or None, initial={"year": year, "copy_previous": year - 1 in years}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "program": program,
            "year": data["year"],
            "document_number": data["document_number"],
            "issued_on": data["issued_on"],
            "by": request.user,
        }
        try:
            if data["copy_previous"]:
                plan = services.plan_copy_from_previous_year(
                    **fields, move_years_in_titles=data["move_years"]
                )
            else:
                plan = services.plan_create(**fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lập kế hoạch năm %(year)s.") % {"year": plan.year})
            _say_titles_moved(request, getattr(plan, "titles_moved", []))
            return redirect(plan)
    return render(request, "coordination/plan_form.html", {"program": program, "form": form})


def _say_titles_moved(request, moved: list[tuple[str, str]], shown: int = 10) -> None:
    """Which copied titles had their year moved, so that staff can check them."""
    if not moved:
        return
    changes = "; ".join(f"“{old}” → “{new}”" for old, new in moved[:shown])
    if len(moved) > shown:
        changes += " " + _("và %(count)s tên khác") % {"count": len(moved) - shown}
    messages.info(
        request,
        _("Đã chuyển năm trong tên %(count)s hoạt động: %(changes)s.")
        % {"count": len(moved), "changes": changes},
    )


def _workflow_step(request, plan: YearlyPlan, step, success: str, **kwargs) -> HttpResponse:
    try:
        step(plan=plan, by=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(plan)


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = plan_policy.get_for(request.user, WRITE, _plan_queryset(), pk=pk)
    return _workflow_step(request, plan, services.plan_submit, _("Đã trình duyệt kế hoạch."))


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_download(request, pk: int, kind: str):
    """The plan as a Nghị định 30 "KẾ HOẠCH" (.docx) or its activities as a workbook (.xlsx),
    for whoever may read it."""
    plan = plan_policy.get_for(request.user, READ, _plan_queryset(), pk=pk)
    document = documents.plan_document(plan)
    if kind == "docx":
        content, mime = documents.plan_docx(document), DOCX_MIME
    else:
        content, mime = documents.plan_xlsx(document), XLSX_MIME
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{document.filename_stem}.{kind}"'
    return response


@login_required
@require_POST
def plan_withdraw(request, pk: int):
    plan = plan_policy.get_for(request.user, WRITE, _plan_queryset(), pk=pk)
    return _workflow_step(
        request, plan, services.plan_withdraw, _("Đã rút lại kế hoạch; kế hoạch là dự thảo.")
    )


@login_required
@require_POST
def plan_approve(request, pk: int):
    plan = plan_policy.get_for(request.user, APPROVE, _plan_queryset(), pk=pk)
    return _workflow_step(request, plan, services.plan_approve, _("Đã ghi nhận phê duyệt."))


@login_required
def plan_decision_upload(request, pk: int):
    """Attach or replace the signed plan decision (the party agencies' leaders)."""
    plan = plan_policy.get_for(request.user, APPROVE, _plan_queryset(), pk=pk)
    form = PlanDecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_attach_decision(
                plan=plan, by=request.user, upload=form.cleaned_data["decision"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu quyết định ký của kế hoạch."))
            return redirect(plan)
    return render(
        request,
        "coordination/plan_decision_form.html",
        {"form": form, "plan": plan},
    )


@login_required
def plan_decision(request, pk: int):
    """The signed plan decision, to those who may read the plan; the only way it leaves the
    server."""
    plan = plan_policy.get_for(request.user, READ, pk=pk)
    return download(plan.decision, plan.decision_name, content_type="application/pdf")


def _plan_with_reason(request, pk: int, step, title: str, success: str) -> HttpResponse:
    """Return or reopen: a reason is required and kept in the plan's history."""
    plan = plan_policy.get_for(request.user, APPROVE, _plan_queryset(), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step(plan=plan, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(plan)
    return render(
        request, "coordination/plan_reason.html", {"plan": plan, "form": form, "title": title}
    )


@login_required
def plan_return(request, pk: int):
    return _plan_with_reason(
        request,
        pk,
        services.plan_return,
        _("Trả lại kế hoạch"),
        _("Đã trả lại kế hoạch để chỉnh sửa."),
    )


@login_required
def plan_reopen(request, pk: int):
    return _plan_with_reason(
        request,
        pk,
        services.plan_reopen,
        _("Mở lại kế hoạch đã phê duyệt"),
        _("Đã mở lại kế hoạch; kế hoạch cần được phê duyệt lại."),
    )


# --- activities -----------------------------------------------------------------------------
def _activity_queryset():
    return Activity.objects.select_related(
        "plan__program", "task_area", successor_path("lead_agency")
    )


def _locked(request, plan: YearlyPlan) -> HttpResponse:
    messages.error(
        request,
        _("Kế hoạch đang %(status)s: hoạt động đã bị khóa, không thay đổi được.")
        % {"status": plan.get_status_display().lower()},
    )
    return _back_to_plan(request, plan)


def _activity_form_page(request, context: dict, partial: str) -> HttpResponse:
    context["htmx"] = bool(request.htmx)
    template = partial if context["htmx"] else "coordination/activity_form.html"
    return render(request, template, context)


@login_required
def activity_create(request, plan_pk: int):
    """Add an activity to a draft plan (in place with htmx, or on its own page)."""
    plan = plan_policy.get_for(request.user, WRITE, _plan_queryset(), pk=plan_pk)
    if plan.is_locked:
        return _locked(request, plan)
    own = access_for(request.user).agency_ids
    initial = {
        "task_area": request.GET.get("noi_dung"),
        # The user's own agency leads by default when it is a party.
        "lead_agency": next(
            (a.pk for a in plan.program.parties.all() if a.active and a.pk in own), None
        ),
    }
    form = ActivityForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(plan=plan, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm hoạt động."))
            return _back_to_plan(request, plan, form.cleaned_data["task_area"].pk)
    area = form["task_area"].value()
    return _activity_form_page(
        request,
        {"plan": plan, "form": form, "area_id": area, "title": _("Thêm hoạt động")},
        "coordination/partials/_activity_form.html",
    )


@login_required
def activity_edit(request, pk: int):
    """Edit an activity of a draft plan. A save over someone else's newer change is refused,
    showing what they changed; saving again then keeps the editor's values."""
    activity = activity_policy.get_for(request.user, WRITE, _activity_queryset(), pk=pk)
    plan = activity.plan
    if plan.is_locked:
        return _locked(request, plan)
    form = ActivityForm(request.POST or None, instance=activity, plan=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except services.EditConflict as error:
            conflict = error
            # The editor has now seen the other change: their next save may replace it.
            form.data = form.data.copy()
            form.data["version"] = error.current.version
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu hoạt động."))
            return _back_to_plan(request, plan, form.cleaned_data["task_area"].pk)
    return _activity_form_page(
        request,
        {
            "plan": plan,
            "form": form,
            "activity": activity,
            "conflict": conflict,
            "title": _("Sửa hoạt động"),
        },
        "coordination/partials/_activity_form_row.html",
    )


@login_required
def activity_delete(request, pk: int):
    """Remove an activity of a draft plan (asks first without JavaScript; htmx confirms)."""
    activity = activity_policy.get_for(request.user, WRITE, _activity_queryset(), pk=pk)
    plan = activity.plan
    if request.method == "POST":
        try:
            services.activity_delete(activity=activity, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã xóa hoạt động “%(title)s”.") % {"title": activity})
        return _back_to_plan(request, plan, activity.task_area_id)
    return render(
        request, "coordination/activity_confirm_delete.html", {"activity": activity, "plan": plan}
    )


@login_required
def activity_detail(request, pk: int):
    """One activity: its facts, its progress updates (with attachments) and its history; the
    progress form for those who report on it."""
    # The lead agency and its successors come in a query of their own, and the cooperatives
    # with their names only (all the page shows): joined into the permission-checked fetch,
    # they made it the page's costliest query, in Django and in PostgreSQL's planning
    # (docs/benchmarks.md, "The coordination pages"). The agencies with their names and
    # successor links only (`recorded_label`): with every column of four generations, building
    # the two queries cost a tenth of the page (issue 18, fifth pass).
    activity = activity_policy.get_for(
        request.user,
        READ,
        Activity.objects.select_related("plan__program", "task_area", "indicator")
        .with_latest_progress()
        .prefetch_related(
            Prefetch("lead_agency", queryset=Agency.objects.with_successors(names_only=True)),
            Prefetch(
                "supporting_agencies", queryset=Agency.objects.with_successors(names_only=True)
            ),
            Prefetch("cooperatives", queryset=Cooperative.objects.only("name")),
            "ntp_projects",
        ),
        pk=pk,
    )
    permissions = activity_permissions(request.user, activity)
    return render(
        request,
        "coordination/activity_detail.html",
        {
            "activity": activity,
            "plan": activity.plan,
            # Newest first, as the model orders them; its first key (the activity, here one) would
            # join the activity, plan, program and task area for nothing.
            "updates": activity.progress_updates.select_related("author").order_by(
                "-reported_on", "-created_at", "-pk"
            ),
            "history": activity_history(activity),
            "permissions": permissions,
            "progress_form": (
                ProgressForm(activity=activity) if permissions.can_report_progress else None
            ),
        },
    )


# --- progress -------------------------------------------------------------------------------
@login_required
def progress_create(request, activity_pk: int):
    """Record a progress update, with an optional attachment checked by its content."""
    # Only what the form's page and its checks read: the plan (the breadcrumb) and its program
    # (the closed reporting periods). Not the lead agency's successors nor the task area of
    # `_activity_queryset`: those joins made the fetch about twice as costly, in Django and in
    # PostgreSQL's planning (docs/benchmarks.md, "The coordination pages").
    activity = activity_policy.get_for(
        request.user, REPORT, Activity.objects.select_related("plan__program"), pk=activity_pk
    )
    form = ProgressForm(request.POST or None, request.FILES or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_record(
                activity=activity, author=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận tiến độ."))
            return redirect(activity)
    return render(
        request,
        "coordination/progress_form.html",
        {"activity": activity, "plan": activity.plan, "form": form},
    )


@login_required
def progress_attachment(request, pk: int):
    """The attachment of a progress update, to those who may read the update; the only way
    attachments leave the server."""
    update = progress_policy.get_for(request.user, READ, pk=pk)
    return download(update.attachment, update.attachment_name)


# --- lists ----------------------------------------------------------------------------------
def _plan_list(request, plans, title: str, empty: str) -> HttpResponse:
    plans = (
        plans.select_related("program__province__successor")
        .annotate(activity_count=Count("activities"), budget=Sum("activities__planned_budget"))
        .order_by("-year", vi_order("program__title"))
    )
    page = Paginator(plans, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "coordination/plan_list.html",
        {"page": page, "title": title, "empty": empty},
    )


@login_required
def my_plans(request):
    """Plans of the programs the user's agencies take part in."""
    return _plan_list(
        request,
        YearlyPlan.objects.involving(request.user),
        _("Kế hoạch của tôi"),
        _("Cơ quan của bạn chưa tham gia kế hoạch năm nào."),
    )


@login_required
def plans_awaiting_approval(request):
    """Submitted plans waiting for the decision of an agency the user manages."""
    return _plan_list(
        request,
        YearlyPlan.objects.awaiting_approval_by(request.user),
        _("Kế hoạch chờ tôi phê duyệt"),
        _("Không có kế hoạch nào chờ bạn phê duyệt."),
    )


@login_required
def overdue_activities(request):
    """Activities the user may see whose end date has passed and that are not done."""
    activities = (
        Activity.objects.visible_to(request.user)
        .overdue()
        .select_related("plan__program", successor_path("lead_agency"), "task_area")
        .order_by("end_date", "pk")
    )
    page = Paginator(activities, 50).get_page(request.GET.get("trang"))
    return render(request, "coordination/overdue_list.html", {"page": page})


@require_POST
@login_required
def program_export(request):
    """Start the Excel export of the visible programs as a background job and follow it."""
    job = jobs.start(
        tasks.export_programs,
        owner=request.user,
        title=gettext_noop("Xuất danh sách chương trình ra Excel"),
        user_id=request.user.pk,
    )
    return redirect(job)
