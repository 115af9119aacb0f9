"""Writes in the coordination app: each one validates, runs in one transaction and returns the
saved object. Views and commands call these; they never save models directly."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction

from agencies.models import Agency, Province
from cooperatives.models import Cooperative

from .models import (
    STANDARD_TASK_AREAS,
    Activity,
    Indicator,
    Phase,
    PhaseTarget,
    Program,
    ProgressUpdate,
    TaskArea,
    YearlyPlan,
    validate_parties,
)


@transaction.atomic
def program_create(
    *,
    title: str,
    kind: str,
    level: str,
    parties: Sequence[Agency],
    start_year: int,
    end_year: int,
    province: Province | None = None,
    number: str = "",
    signed_on: datetime.date | None = None,
    legal_basis: str = "",
    task_areas: Sequence[str] | None = None,
    phases: Sequence[tuple[int, int]] = (),
) -> Program:
    """Create a program with its task areas (the standard five unless given) and phases."""
    validate_parties(kind, list(parties))
    program = Program(
        title=title,
        kind=kind,
        level=level,
        province=province,
        number=number,
        signed_on=signed_on,
        start_year=start_year,
        end_year=end_year,
        legal_basis=legal_basis,
    )
    program.full_clean()
    program.save()
    program.parties.set(parties)
    titles = task_areas if task_areas is not None else [str(t) for _, t in STANDARD_TASK_AREAS]
    for number_, area_title in enumerate(titles, start=1):
        area = TaskArea(program=program, number=number_, title=area_title)
        area.full_clean()
        area.save()
    for number_, (start, end) in enumerate(phases, start=1):
        phase_add(program=program, number=number_, start_year=start, end_year=end)
    return program


@transaction.atomic
def phase_add(*, program: Program, number: int, start_year: int, end_year: int) -> Phase:
    """Add a phase inside the program's years that overlaps no other phase."""
    phase = Phase(program=program, number=number, start_year=start_year, end_year=end_year)
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def indicator_create(
    *,
    program: Program,
    code: str,
    name: str,
    unit: str,
    aggregation: str = Indicator.Aggregation.SUM,
    task_area: TaskArea | None = None,
    targets: dict[Phase, str] | None = None,
) -> Indicator:
    """Create an indicator with its phase targets written as '01', '≥ 1' or '2–3'."""
    indicator = Indicator(
        program=program,
        code=code,
        name=name,
        unit=unit,
        aggregation=aggregation,
        task_area=task_area,
    )
    indicator.full_clean()
    indicator.save()
    for phase, text in (targets or {}).items():
        target_min, target_max = PhaseTarget.parse(text)
        target = PhaseTarget(
            indicator=indicator, phase=phase, target_min=target_min, target_max=target_max
        )
        target.full_clean()
        target.save()
    return indicator


@transaction.atomic
def plan_create(
    *,
    program: Program,
    year: int,
    document_number: str = "",
    issued_on: datetime.date | None = None,
) -> YearlyPlan:
    """Create the draft yearly plan of `program` for `year` (one per year, inside the program)."""
    plan = YearlyPlan(
        program=program, year=year, document_number=document_number, issued_on=issued_on
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def activity_create(
    *,
    plan: YearlyPlan,
    task_area: TaskArea,
    title: str,
    lead_agency: Agency,
    start_date: datetime.date,
    end_date: datetime.date,
    planned_budget: int = 0,
    description: str = "",
    supporting_agencies: Iterable[Agency] = (),
    indicator: Indicator | None = None,
    target_value: Decimal | None = None,
    cooperatives: Iterable[Cooperative] = (),
) -> Activity:
    """Add an activity to a plan; its dates fall inside the plan's year."""
    activity = Activity(
        plan=plan,
        task_area=task_area,
        title=title,
        description=description,
        lead_agency=lead_agency,
        start_date=start_date,
        end_date=end_date,
        planned_budget=planned_budget,
        indicator=indicator,
        target_value=target_value,
    )
    activity.full_clean()
    activity.save()
    activity.supporting_agencies.set(supporting_agencies)
    activity.cooperatives.set(cooperatives)
    return activity


@transaction.atomic
def progress_record(
    *,
    activity: Activity,
    reported_on: datetime.date,
    status: str,
    percent: int,
    author,
    actual_value: Decimal | None = None,
    budget_spent: int = 0,
    note: str = "",
    attachment=None,
) -> ProgressUpdate:
    """Record a dated progress update; the newest one is the activity's current state."""
    update = ProgressUpdate(
        activity=activity,
        reported_on=reported_on,
        status=status,
        percent=percent,
        actual_value=actual_value,
        budget_spent=budget_spent,
        note=note,
        author=author,
    )
    if attachment is not None:
        update.attachment = attachment
    update.full_clean()
    update.save()
    return update
