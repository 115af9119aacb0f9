"""The program's reporting calendar on its setup page: the periods and deadlines of the year,
and the reopenings of closed periods (a manager reopens with a reason, or closes again)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import READ

from .. import periods, services
from ..forms import DATE_WIDGET
from ..models import Program
from ..permissions import REOPEN_PERIOD, program_policy


def calendar_context(program: Program, user, today: datetime.date | None = None) -> dict:
    """The calendar block of the setup page: this year's and next year's periods (with whether
    each is closed today) and every reopening, newest first. Two queries."""
    today = today or timezone.localdate()
    years = [y for y in (today.year, today.year + 1) if y in program.years]
    reopenings = list(
        program.period_reopenings.select_related("reopened_by", "closed_by").order_by(
            "-reopened_at", "-pk"
        )
    )
    for reopening in reopenings:
        reopening.open_now = reopening.is_open(today)
    open_now = {(r.kind, r.year) for r in reopenings if r.open_now}
    rows = []
    for year in years:
        for period in periods.periods_of(program, year):
            closed = program.closes_periods and period.is_past_deadline(today)
            rows.append(
                {"period": period, "closed": closed, "reopened": (period.kind, year) in open_now}
            )
    return {
        "calendar_periods": rows,
        "reopenings": reopenings,
        "can_reopen": program_policy.allows(user, program, REOPEN_PERIOD),
        "today": today,
    }


class ReopenForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"))
    reason = forms.CharField(
        label=gettext_lazy("Lý do mở lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": gettext_lazy("Nhập lý do mở lại kỳ báo cáo.")},
    )
    until = forms.DateField(
        label=gettext_lazy("Mở đến ngày"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy("Để trống: mở đến khi lãnh đạo khóa lại."),
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ (dd/mm/yyyy).")},
    )

    def __init__(self, *args, program: Program, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        # The periods already past their deadline, newest first.
        due = [p for p in periods.periods_in(program) if p.is_past_deadline(today)]
        self.fields["period"].choices = [
            (p.key, f"{p.label} ({p.window_label})") for p in reversed(due)
        ]


@login_required
def period_reopen(request, pk: int):
    """Reopen a closed reporting period of the program, with a reason."""
    program = program_policy.get_for(request.user, REOPEN_PERIOD, pk=pk)
    today = timezone.localdate()
    form = ReopenForm(request.POST or None, program=program, today=today)
    if request.method == "POST" and form.is_valid():
        kind, year = periods.parse_key(form.cleaned_data["period"])
        try:
            services.period_reopen(
                program=program,
                kind=kind,
                year=year,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
                by=request.user,
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if hasattr(error, "error_dict") and "kind" in error.error_dict:
                form.add_error("period", error.error_dict["kind"])
        else:
            messages.success(request, _("Đã mở lại kỳ báo cáo."))
            return redirect("coordination:program_setup", program.pk)
    return render(
        request,
        "coordination/setup/form.html",
        {"form": form, "program": program, "title": _("Mở lại kỳ báo cáo đã khóa")},
    )


@login_required
@require_POST
def period_close(request, pk: int, reopening_pk: int):
    """Close a reopened period again."""
    program = program_policy.get_for(request.user, READ, pk=pk)
    reopening = get_object_or_404(program.period_reopenings, pk=reopening_pk)
    program_policy.get_for(request.user, REOPEN_PERIOD, pk=program.pk)
    try:
        services.period_close(reopening=reopening, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã khóa lại kỳ báo cáo."))
    return redirect("coordination:program_setup", program.pk)
