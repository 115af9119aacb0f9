"""Pages where a program is registered and set up: its facts and signed document, task areas,
phases and indicators. Thin, like the plan pages: the program is fetched through
`program_policy` (404 when the user may not read it, 403 for `setup` when they may read but not
change it), forms check the input and the services write.

Without JavaScript every form is a page of its own (or posts from the setup page and comes back
to it); with htmx the small forms of the setup page (add, move, remove) post in place and the
page's body (`#setup-body`) is redrawn, with a form's errors next to its fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import READ

from .. import services
from ..attachments import download
from ..forms import add_service_errors
from ..history import setup_history
from ..models import Indicator, PhaseTarget, Program
from ..permissions import REGISTER, SETUP, program_policy, register_policy
from .calendar import calendar_context
from .forms import IndicatorForm, PhaseForm, ProgramForm, TaskAreaForm

SETUP_BODY = "coordination/setup/partials/_setup_body.html"
FORM_PAGE = "coordination/setup/form.html"


def _setup_program(request, pk: int) -> Program:
    return program_policy.get_for(request.user, SETUP, pk=pk)


# --- the program -----------------------------------------------------------------------------
@login_required
def program_register(request):
    """Register a program from its signed document (managers and admins of a party agency)."""
    register_policy.require_any(request.user, REGISTER)
    form = ProgramForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = services.program_create(
                **form.service_fields(),
                task_areas=None if data["standard_task_areas"] else [],
                phases=form.proposed_phases(),
                document=data["document"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã đăng ký chương trình. Kiểm tra nội dung phối hợp, giai đoạn và chỉ số."),
            )
            return redirect("coordination:program_setup", program.pk)
    return render(
        request,
        FORM_PAGE,
        {"form": form, "title": _("Đăng ký chương trình"), "multipart": True, "program": None},
    )


@login_required
def program_edit(request, pk: int):
    """Correct a program's facts or replace its signed document."""
    program = _setup_program(request, pk)
    form = ProgramForm(
        request.POST or None, request.FILES or None, instance=program, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(
                program=program,
                by=request.user,
                document=form.cleaned_data["document"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin chương trình."))
            return redirect("coordination:program_setup", program.pk)
    return render(
        request,
        FORM_PAGE,
        {
            "form": form,
            "program": program,
            "title": _("Sửa thông tin chương trình"),
            "multipart": True,
            "fixed_note": program.has_plans,
        },
    )


@login_required
def program_document(request, pk: int):
    """The signed document, to those who may read the program; the only way it leaves the
    server."""
    program = program_policy.get_for(request.user, READ, pk=pk)
    return download(program.document, program.document_name, content_type="application/pdf")


# --- the setup page --------------------------------------------------------------------------
def _setup_context(request, program: Program, **forms) -> dict:
    """Everything the setup page shows, in a fixed number of queries."""
    program = (
        Program.objects.select_related("province")
        .prefetch_related("parties__successor")
        .get(pk=program.pk)
    )
    can_setup = program_policy.allows(request.user, program, SETUP)
    # Explicit order: Django leaves Meta.ordering out of a query with GROUP BY.
    areas = list(program.task_areas.annotate(activity_count=Count("activities")).order_by("number"))
    phases = list(program.phases.all())
    plan_years = sorted(program.plans.values_list("year", flat=True))
    for phase in phases:
        phase.plan_years = [y for y in plan_years if phase.start_year <= y <= phase.end_year]
    indicators = list(
        program.indicators.select_related("task_area")
        .annotate(activity_count=Count("activities"))
        .order_by("code")
        .prefetch_related(Prefetch("targets", queryset=PhaseTarget.objects.all()))
    )
    for indicator in indicators:
        by_phase = {t.phase_id: t for t in indicator.targets.all()}
        indicator.phase_targets = [by_phase.get(phase.pk) for phase in phases]
    context = {
        "program": program,
        "areas": areas,
        "phases": phases,
        "indicators": indicators,
        "can_setup": can_setup,
        "has_plans": bool(plan_years),
        "htmx": bool(request.htmx),
    }
    if can_setup:
        next_phase = _next_phase(program, phases)
        context["area_form"] = forms.get("area_form") or TaskAreaForm(prefix="area")
        context["phase_form"] = forms.get("phase_form") or PhaseForm(
            prefix="phase",
            program=program,
            initial={"start_year": next_phase[0], "end_year": next_phase[1]} if next_phase else {},
        )
    return context


def _next_phase(program: Program, phases) -> tuple[int, int] | None:
    """The first standard phase not yet covered, proposed in the add form."""
    taken = {year for phase in phases for year in phase.years}
    return next(
        (
            span
            for span in program.standard_phases()
            if not taken & set(range(span[0], span[1] + 1))
        ),
        None,
    )


@login_required
def program_setup(request, pk: int):
    """A program's setup: read-only for those who may read it, with forms for its leaders."""
    program = program_policy.get_for(request.user, READ, pk=pk)
    context = _setup_context(request, program)
    if context["htmx"]:
        response = render(request, SETUP_BODY, context)
    else:
        context["history"] = setup_history(program)
        context.update(calendar_context(program, request.user))
        response = render(request, "coordination/setup/program_setup.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back_to_setup(request, program: Program, anchor: str = "") -> HttpResponse:
    """After a change: the redrawn setup body for htmx, otherwise the setup page."""
    if request.htmx:
        return _setup_body(request, program)
    url = reverse("coordination:program_setup", args=[program.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _setup_body(request, program: Program, **forms) -> HttpResponse:
    response = render(request, SETUP_BODY, _setup_context(request, program, **forms))
    response["HX-Retarget"] = "#setup-body"
    response["HX-Reswap"] = "outerHTML"
    return response


def _save_form(request, program, form, save, *, title: str, success: str, anchor: str, slot: str):
    """Validate `form` and hand it to `save`; on success back to the setup page, on an error
    the form again: for htmx in the setup body (an add form: `slot` names its context entry) or
    in place of the line it edits (no `slot`), as a page of its own otherwise."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return _back_to_setup(request, program, anchor)
    if request.htmx and request.method == "POST" and slot:
        return _setup_body(request, program, **{slot: form})
    context = {"form": form, "program": program, "title": title}
    if request.htmx and not slot:
        # An edit opened in place of its line in the setup page's list.
        return render(request, "coordination/setup/partials/_inline_form.html", context)
    return render(request, FORM_PAGE, context)


def _remove(request, program, delete, *, title: str, question: str, success: str, anchor):
    """Ask first (a page of its own without JavaScript; htmx confirms in the browser), then
    remove through `delete`, whose refusal (in use) is said on the setup page."""
    if request.method != "POST":
        return render(
            request,
            "coordination/setup/confirm_delete.html",
            {"program": program, "title": title, "question": question},
        )
    try:
        delete()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return _back_to_setup(request, program, anchor)


# --- task areas ------------------------------------------------------------------------------
@login_required
def task_area_add(request, pk: int):
    program = _setup_program(request, pk)
    form = TaskAreaForm(request.POST or None, prefix="area")
    return _save_form(
        request,
        program,
        form,
        lambda f: services.task_area_add(
            program=program,
            title=f.cleaned_data["title"],
            standard_area=f.cleaned_data["standard_area"],
            by=request.user,
        ),
        title=_("Thêm nội dung phối hợp"),
        success=_("Đã thêm nội dung phối hợp."),
        anchor="task-areas",
        slot="area_form",
    )


@login_required
def task_area_edit(request, pk: int, area_pk: int):
    program = _setup_program(request, pk)
    area = get_object_or_404(program.task_areas, pk=area_pk)
    form = TaskAreaForm(request.POST or None, instance=area)
    return _save_form(
        request,
        program,
        form,
        lambda f: services.task_area_update(
            task_area=area,
            title=f.cleaned_data["title"],
            standard_area=f.cleaned_data["standard_area"],
            by=request.user,
        ),
        title=_("Sửa nội dung phối hợp %(number)s") % {"number": area.number},
        success=_("Đã lưu nội dung phối hợp."),
        anchor="task-areas",
        slot="",
    )


@login_required
@require_POST
def task_area_move(request, pk: int, area_pk: int):
    """Move a task area up or down (`huong=len` / `xuong`)."""
    program = _setup_program(request, pk)
    area = get_object_or_404(program.task_areas, pk=area_pk)
    direction = request.POST.get("huong")
    if direction in ("len", "xuong"):
        services.task_area_move(task_area=area, up=direction == "len", by=request.user)
    return _back_to_setup(request, program, "task-areas")


@login_required
def task_area_delete(request, pk: int, area_pk: int):
    program = _setup_program(request, pk)
    area = get_object_or_404(program.task_areas, pk=area_pk)
    return _remove(
        request,
        program,
        lambda: services.task_area_delete(task_area=area, by=request.user),
        title=_("Xóa nội dung phối hợp"),
        question=_("Xóa nội dung phối hợp “%(title)s”?") % {"title": area.title},
        success=_("Đã xóa nội dung phối hợp “%(title)s”.") % {"title": area.title},
        anchor="task-areas",
    )


# --- phases ----------------------------------------------------------------------------------
@login_required
def phase_add(request, pk: int):
    program = _setup_program(request, pk)
    form = PhaseForm(request.POST or None, prefix="phase", program=program)
    return _save_form(
        request,
        program,
        form,
        lambda f: services.phase_add(program=program, by=request.user, **f.cleaned_data),
        title=_("Thêm giai đoạn"),
        success=_("Đã thêm giai đoạn."),
        anchor="phases",
        slot="phase_form",
    )


@login_required
def phase_edit(request, pk: int, phase_pk: int):
    program = _setup_program(request, pk)
    phase = get_object_or_404(program.phases, pk=phase_pk)
    form = PhaseForm(request.POST or None, instance=phase, program=program)
    return _save_form(
        request,
        program,
        form,
        lambda f: services.phase_update(phase=phase, by=request.user, **f.cleaned_data),
        title=_("Sửa giai đoạn %(number)s") % {"number": phase.number},
        success=_("Đã lưu giai đoạn."),
        anchor="phases",
        slot="",
    )


@login_required
def phase_delete(request, pk: int, phase_pk: int):
    program = _setup_program(request, pk)
    phase = get_object_or_404(program.phases, pk=phase_pk)
    return _remove(
        request,
        program,
        lambda: services.phase_delete(phase=phase, by=request.user),
        title=_("Xóa giai đoạn"),
        question=_("Xóa %(phase)s cùng các chỉ tiêu của giai đoạn này?") % {"phase": phase},
        success=_("Đã xóa %(phase)s.") % {"phase": phase},
        anchor="phases",
    )


# --- indicators ------------------------------------------------------------------------------
@login_required
def indicator_add(request, pk: int):
    program = _setup_program(request, pk)
    form = IndicatorForm(request.POST or None, program=program)
    return _save_form(
        request,
        program,
        form,
        lambda f: services.indicator_create(
            program=program, by=request.user, targets=f.targets(), **f.service_fields()
        ),
        title=_("Thêm chỉ số"),
        success=_("Đã thêm chỉ số."),
        anchor="indicators",
        slot="",
    )


@login_required
def indicator_edit(request, pk: int, indicator_pk: int):
    """Change an indicator and its targets; each change goes into the setup's history."""
    program = _setup_program(request, pk)
    indicator = get_object_or_404(Indicator.objects.filter(program=program), pk=indicator_pk)
    form = IndicatorForm(request.POST or None, instance=indicator, program=program)
    return _save_form(
        request,
        program,
        form,
        lambda f: services.indicator_update(
            indicator=Indicator.objects.get(pk=indicator.pk),
            by=request.user,
            targets=f.targets(),
            **f.service_fields(),
        ),
        title=_("Sửa chỉ số %(code)s") % {"code": indicator.code},
        success=_("Đã lưu chỉ số."),
        anchor="indicators",
        slot="",
    )


@login_required
def indicator_delete(request, pk: int, indicator_pk: int):
    program = _setup_program(request, pk)
    indicator = get_object_or_404(Indicator.objects.filter(program=program), pk=indicator_pk)
    return _remove(
        request,
        program,
        lambda: services.indicator_delete(indicator=indicator, by=request.user),
        title=_("Xóa chỉ số"),
        question=_("Xóa chỉ số “%(name)s” cùng các chỉ tiêu của chỉ số này?") % {"name": indicator},
        success=_("Đã xóa chỉ số “%(name)s”.") % {"name": indicator},
        anchor="indicators",
    )
