"""Pages of the sơ kết / tổng kết reports and of the commendations. Thin: each fetches its object
through its model's permission policy (`report_policy.get_for(user, action, pk=…)`), validates
with a form and hands the result to a service.

Narrative sections are edited in place when htmx is loaded (the form posts with `HX-Request`
and gets the section fragment back); without JavaScript the same links and forms work as
ordinary pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from agencies.access import access_for
from agencies.models import Level
from coordination import periods
from coordination.models import Program
from core import jobs
from core.db import vi_order
from core.permissions import READ, WRITE
from core.text import search_key

from . import reporting_status, services, tasks
from .forms import (
    CommendationForm,
    GenerateForm,
    HeaderForm,
    SectionForm,
    SignatoryFormSet,
    WhoHasReportedForm,
)
from .models import NARRATIVE_SECTIONS, Commendation, Report, ReportSignatory
from .narrative import suggest
from .outline import compose
from .permissions import (
    FINALISE,
    OVERSEE,
    commendation_policy,
    program_policy,
    report_permissions,
    report_policy,
)
from .rollup import received_periods
from .word import DOCX_MIME, write_docx

SECTION_LABELS = dict(NARRATIVE_SECTIONS)


def _reports():
    return Report.objects.select_related("program", "phase").prefetch_related(
        Prefetch(
            "signatories",
            queryset=ReportSignatory.objects.select_related("agency", "finalised_by"),
        )
    )


def _refused(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


def _frozen(request, report: Report):
    messages.error(request, services.FROZEN)
    return redirect(report)


def _warn_if_reset(request, report: Report) -> None:
    if getattr(report, "finalisations_reset", 0):
        messages.warning(
            request,
            _("Báo cáo đã thay đổi sau khi có lãnh đạo xác nhận: cần xác nhận lại."),
        )


@login_required
def report_index(request):
    """The latest version of every report the user may read, and the programs they may read."""
    reports = (
        Report.objects.visible_to(request.user)
        .latest_versions()
        .select_related("program", "phase")
        .order_by(vi_order("program__title"), "kind", "-year", "-phase__start_year")
    )
    programs = Program.objects.visible_to(request.user).order_by("level", vi_order("title"))
    return render(
        request,
        "reporting/reports/report_index.html",
        {"reports": reports, "programs": programs},
    )


@login_required
def report_program(request, program_id: int):
    """A program's reports (every version) and the form to start one."""
    program = program_policy.get_for(
        request.user, READ, Program.objects.select_related("province"), pk=program_id
    )
    can_write = program_policy.allows(request.user, program, WRITE)
    form = GenerateForm(request.POST or None, program=program)
    if request.method == "POST":
        program_policy.get_for(request.user, WRITE, pk=program_id)
        if form.is_valid():
            try:
                report = services.report_generate(
                    program=program,
                    kind=form.cleaned_data["kind"],
                    year=form.cleaned_data["year"],
                    phase=form.cleaned_data["phase"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lập báo cáo từ số liệu hiện có."))
                return redirect(report)
    reports = program.reports.select_related("phase").order_by("kind", "-year", "phase", "-version")
    # A national program receives the reports its provincial programs send up (rollup.py).
    received = received_periods(program) if program.level == Level.CENTRAL else []
    # A reader of the national program may not read every province's report: link only those
    # the report's own rule lets them open (the others would be a 404).
    sent_up = {row.report.pk for period in received for row in period.rows if row.report}
    readable_reports = (
        set(
            report_policy.instances(
                request.user, READ, Report.objects.filter(pk__in=sent_up)
            ).values_list("pk", flat=True)
        )
        if sent_up
        else set()
    )
    return render(
        request,
        "reporting/reports/report_program.html",
        {
            "program": program,
            "reports": reports,
            "form": form,
            "can_write": can_write,
            "received": received,
            "readable_reports": readable_reports,
        },
    )


@login_required
def report_detail(request, pk: int):
    """The report as a document (print it with the browser), its versions and its workflow."""
    report = report_policy.get_for(request.user, READ, _reports(), pk=pk)
    return render(request, "reporting/reports/report_detail.html", _detail_context(request, report))


def _detail_context(request, report: Report) -> dict:
    # The document is Vietnamese whatever the interface language, as in the .docx.
    with translation.override(services.DOCUMENT_LANGUAGE):
        document = compose(report)
    return {
        "report": report,
        "document": document,
        "perms": report_permissions(request.user, report),
        "versions": report.same_period()
        .filter(pk__in=Report.objects.visible_to(request.user).values("pk"))
        .select_related("generated_by"),
        "signatories": report.signatories.all(),
    }


@login_required
def report_section(request, pk: int, section: str):
    """Edit one narrative section of a draft (GET: the form, POST: save)."""
    if section not in SECTION_LABELS:
        raise Http404
    report = report_policy.get_for(request.user, WRITE, _reports(), pk=pk)
    if not report.is_draft:
        return _frozen(request, report)
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_update_section(
                    report=report, section=section, text=form.cleaned_data["text"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _warn_if_reset(request, report)
                if request.htmx:
                    return _section_fragment(request, report, section)
                messages.success(
                    request, _("Đã lưu mục “%(section)s”.") % {"section": SECTION_LABELS[section]}
                )
                return redirect(f"{report.get_absolute_url()}#section-{section}")
    else:
        form = SectionForm(initial={"text": getattr(report, section)})
    context = {
        "report": report,
        "section": section,
        "label": SECTION_LABELS[section],
        "form": form,
        "suggestion": suggest(report.data).get(section, "") if report.is_draft else "",
    }
    template = (
        "reporting/reports/partials/_section_form.html"
        if request.htmx
        else "reporting/reports/report_section.html"
    )
    return render(request, template, context)


def _section_fragment(request, report: Report, section: str):
    with translation.override(services.DOCUMENT_LANGUAGE):
        document = compose(report)
    block = next(b for b in document.blocks if b.kind == "narrative" and b.key == section)
    return render(
        request,
        "reporting/reports/partials/_narrative.html",
        {"report": report, "block": block, "perms": report_permissions(request.user, report)},
    )


@login_required
def report_header(request, pk: int):
    """Edit a draft's number and symbol, place and date, recipients and signature blocks."""
    report = report_policy.get_for(request.user, WRITE, _reports(), pk=pk)
    if not report.is_draft:
        return _frozen(request, report)
    signatories = report.signatories.order_by("order", "pk")
    form = HeaderForm(request.POST or None, instance=report)
    formset = SignatoryFormSet(request.POST or None, queryset=signatories, prefix="signatory")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            report = services.report_update_header(
                report=report,
                by=request.user,
                signatories={f.instance.pk: f.cleaned_data for f in formset.forms},
                **{name: form.cleaned_data[name] for name in HeaderForm.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _warn_if_reset(request, report)
            messages.success(request, _("Đã lưu thông tin văn bản."))
            return redirect(report)
    return render(
        request,
        "reporting/reports/report_header.html",
        {"report": report, "form": form, "formset": formset},
    )


@login_required
@require_POST
def report_refresh(request, pk: int):
    report = report_policy.get_for(request.user, WRITE, _reports(), pk=pk)
    try:
        report = services.report_refresh(report=report, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        _warn_if_reset(request, report)
        messages.success(request, _("Đã cập nhật số liệu theo dữ liệu hiện tại."))
    return redirect(report)


@login_required
@require_POST
def report_new_version(request, pk: int):
    """Start the next version of a finalised report's period from fresh data."""
    report = report_policy.get_for(request.user, WRITE, _reports(), pk=pk)
    try:
        new = services.report_generate(
            program=report.program,
            kind=report.kind,
            year=report.year,
            phase=report.phase,
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect(report)
    messages.success(
        request, _("Đã lập phiên bản %(version)s từ số liệu mới.") % {"version": new.version}
    )
    return redirect(new)


@login_required
@require_POST
def report_finalise(request, pk: int):
    report = report_policy.get_for(request.user, FINALISE, _reports(), pk=pk)
    try:
        report = services.report_finalise(report=report, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        if report.is_draft:
            messages.success(request, _("Đã xác nhận. Báo cáo chờ cơ quan còn lại xác nhận."))
        else:
            messages.success(request, _("Báo cáo đã hoàn thành; số liệu được giữ nguyên từ nay."))
    return redirect(report)


def _filename(report: Report, extension: str) -> str:
    program = report.program.number or report.program.title[:40]
    stem = slugify(search_key(f"{report.title} {program} v{report.version}"))
    return f"{stem}.{extension}"


def _download(report: Report, content: bytes, mime: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_docx(request, pk: int):
    report = report_policy.get_for(request.user, READ, _reports(), pk=pk)
    return _download(report, write_docx(report), DOCX_MIME, _filename(report, "docx"))


@login_required
@require_POST
def report_xlsx(request, pk: int):
    """Start building the .xlsx appendix in the background and follow it on the job's page
    (several seconds for a national phase summary; see docs/decisions.md)."""
    report = report_policy.get_for(request.user, READ, _reports(), pk=pk)
    job = jobs.start(
        tasks.report_appendix,
        owner=request.user,
        title=gettext_noop("Phụ lục số liệu (.xlsx): %(title)s, phiên bản %(version)s"),
        title_args={"title": report.title, "version": report.version},
        report_id=report.pk,
        user_id=request.user.pk,
        filename=f"phu-luc-{_filename(report, 'xlsx')}",
    )
    return redirect(job)


# --- commendations -----------------------------------------------------------------------------


@login_required
def commendation_list(request, program_id: int):
    """A program's commendations, and the form to add one (for those who may write)."""
    program = program_policy.get_for(request.user, READ, pk=program_id)
    can_write = program_policy.allows(request.user, program, WRITE)
    form = CommendationForm(request.POST or None, program=program, user=request.user)
    if request.method == "POST":
        program_policy.get_for(request.user, WRITE, pk=program_id)
        if form.is_valid():
            services.commendation_save(commendation=form.instance, by=request.user)
            messages.success(request, _("Đã ghi nhận khen thưởng."))
            return redirect("reporting:report_commendations", program_id=program.pk)
    items = program.commendations.select_related("cooperative", "agency")
    return render(
        request,
        "reporting/reports/commendation_list.html",
        {"program": program, "items": items, "form": form, "can_write": can_write},
    )


@login_required
def commendation_edit(request, pk: int):
    item = commendation_policy.get_for(
        request.user, WRITE, Commendation.objects.select_related("program"), pk=pk
    )
    form = CommendationForm(
        request.POST or None, instance=item, program=item.program, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.commendation_save(commendation=form.instance, by=request.user)
        messages.success(request, _("Đã lưu khen thưởng."))
        return redirect("reporting:report_commendations", program_id=item.program_id)
    return render(request, "reporting/reports/commendation_form.html", {"form": form, "item": item})


@login_required
@require_POST
def commendation_delete(request, pk: int):
    item = commendation_policy.get_for(request.user, WRITE, pk=pk)
    program_id = item.program_id
    services.commendation_delete(commendation=item, by=request.user)
    messages.success(request, _("Đã xóa khen thưởng."))
    return redirect("reporting:report_commendations", program_id=program_id)


@login_required
def who_has_reported(request):
    """Who has reported (tình hình báo cáo): for one period, each program that should report
    and the state of its sơ kết, and the state of its yearly plan of that year. Managers and
    admins of party agencies see their programs; central ones every program
    (`reporting_status`, `program_policy`'s OVERSEE)."""
    program_policy.require_any(request.user, OVERSEE)
    overseen = program_policy.instances(request.user, OVERSEE)
    today = timezone.localdate()
    form = WhoHasReportedForm(
        request.GET or None,
        programs=overseen,
        national_only=access_for(request.user).reads_everything,
        today=today,
    )
    kind, year, program = form.selection()
    # A national program brings the provincial programs under it; a provincial one stands alone.
    programs = reporting_status.programs_to_report(overseen, kind, year, program=program)
    reports = reporting_status.report_rows(programs, kind, year, today=today)
    plans = reporting_status.plan_rows(programs, year, today=today)
    start, end = periods.window(kind, year)
    return render(
        request,
        "reporting/reports/who_has_reported.html",
        {
            "form": form,
            "period_label": dict(form.fields["period"].choices).get(f"{kind}-{year}", ""),
            "window": (start, end),
            "program": program,
            "rows": reports,
            "plans": plans,
            "report_summary": reporting_status.summary(reports, reporting_status.REPORT_STATES),
            "plan_summary": reporting_status.summary(plans, reporting_status.PLAN_STATES),
            "year": year,
        },
    )
