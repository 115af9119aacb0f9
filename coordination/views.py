from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs
from core.text import vi_sort_key

from . import tasks
from .models import Activity, PhaseTarget, Program, YearlyPlan


@login_required
def home(request):
    """The programs the user may see, searchable without tone marks."""
    query = request.GET.get("q", "").strip()
    programs = (
        Program.objects.visible_to(request.user)
        .search(query)
        .select_related("province")
        .prefetch_related("parties")
        .annotate(plan_count=Count("plans", distinct=True))
    )
    programs = sorted(programs, key=lambda p: (p.level != "central", vi_sort_key(p.title)))
    return render(request, "coordination/home.html", {"programs": programs, "query": query})


@login_required
def program_detail(request, pk: int):
    """Phases, task areas, indicators with their phase targets, and yearly plans of one program."""
    program = get_object_or_404(
        Program.objects.visible_to(request.user)
        .select_related("province")
        .prefetch_related(
            "parties",
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
    return render(request, "coordination/program_detail.html", {"program": program, "plans": plans})


@login_required
def plan_detail(request, pk: int):
    """A yearly plan: its activities grouped under the program's task areas."""
    plan = get_object_or_404(
        YearlyPlan.objects.visible_to(request.user).select_related("program"), pk=pk
    )
    activities = (
        Activity.objects.filter(plan=plan)
        .with_latest_progress()
        .select_related("task_area", "lead_agency", "indicator")
        .prefetch_related("supporting_agencies", "cooperatives")
    )
    groups = []
    for area in plan.program.task_areas.all():
        items = [a for a in activities if a.task_area_id == area.pk]
        groups.append(
            {"area": area, "activities": items, "budget": sum(a.planned_budget for a in items)}
        )
    return render(request, "coordination/plan_detail.html", {"plan": plan, "groups": groups})


@require_POST
@login_required
def program_export(request):
    """Start the Excel export of the visible programs as a background job and follow it."""
    job = jobs.start(
        tasks.export_programs,
        owner=request.user,
        title=_("Xuất danh sách chương trình ra Excel"),
        user_id=request.user.pk,
    )
    return redirect(job)
