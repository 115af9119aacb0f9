"""Writes of a program's setup: the program, its phases and its indicators."""

import datetime
from collections.abc import Sequence

from django.db import transaction

from agencies.models import Agency, Province

from ..models import (
    STANDARD_TASK_AREAS,
    Indicator,
    Phase,
    PhaseTarget,
    Program,
    TaskArea,
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
