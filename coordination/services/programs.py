"""Writes of a program's setup: the program and its signed document, its task areas, phases
and indicators with their phase targets.

Once yearly plans hang on a program, what they use stays: its level, province and parties
(who sees and signs the plans), a task area with activities, a phase holding a plan's year, an
indicator named by an activity. Everything else may still be corrected, and each change of a
task area, phase, indicator or target is kept in the history with who made it (`by`)."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Province
from core.storage import discard_file
from core.text import clean_text

from ..attachments import PDF, check_attachment, store_attachment
from ..models import (
    STANDARD_TASK_AREAS,
    Indicator,
    Phase,
    PhaseTarget,
    Program,
    StandardArea,
    TaskArea,
    validate_parties,
)

# What `program_update` may change; the first three stay once the program has plans.
FIXED_WITH_PLANS = ("level", "province", "parties")
# The reporting calendar (coordination/periods.py); a program created without them keeps the
# model's defaults (Decree 09 windows, due the 20th, periods not closed).
CALENDAR_FIELDS = (
    "half_year_review",
    "annual_deadline_rule",
    "annual_deadline_value",
    "half_deadline_rule",
    "half_deadline_value",
    "closes_periods",
)
PROGRAM_FIELDS = (
    *FIXED_WITH_PLANS,
    *CALENDAR_FIELDS,
    "title",
    "number",
    "kind",
    "signed_on",
    "start_year",
    "end_year",
    "legal_basis",
    "plan_deadline_day",
    "plan_deadline_month",
    "national_program",
)
NOT_PDF = gettext_lazy("Văn bản ký phải là tệp PDF.")


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
    plan_deadline_day: int = 31,
    plan_deadline_month: int = 1,
    national_program: Program | None = None,
    task_areas: Sequence[str] | None = None,
    phases: Sequence[tuple[int, int]] = (),
    document=None,
    by=None,
    **calendar,
) -> Program:
    """Create a program with its task areas (the standard five unless given), its phases and
    its signed document (a PDF, judged by its content, stored under a random name before the
    row and removed again if the row cannot be saved)."""
    unknown = set(calendar) - set(CALENDAR_FIELDS)
    if unknown:
        raise TypeError(f"program_create() got unexpected {sorted(unknown)}")
    validate_parties(kind, list(parties))
    program = Program(
        **calendar,
        title=title,
        kind=kind,
        level=level,
        province=province,
        number=number,
        signed_on=signed_on,
        start_year=start_year,
        end_year=end_year,
        legal_basis=legal_basis,
        plan_deadline_day=plan_deadline_day,
        plan_deadline_month=plan_deadline_month,
        national_program=national_program,
    )
    program.full_clean(exclude=["document"])
    with _document_stored(program, document):
        with transaction.atomic():
            program.save()
            program.parties.set(parties)
            if task_areas is None:
                # The standard five are, by definition, the standard areas of their numbers.
                areas = [(str(t), StandardArea(n)) for n, t in STANDARD_TASK_AREAS]
            else:
                areas = [(t, StandardArea.for_title(t)) for t in task_areas]
            for number_, (area_title, standard) in enumerate(areas, start=1):
                area = TaskArea(
                    program=program, number=number_, title=area_title, standard_area=standard
                )
                area.full_clean()
                _save(area, by)
            for start, end in phases:
                phase_add(program=program, start_year=start, end_year=end, by=by)
    return program


def program_update(*, program: Program, by, document=None, **changes) -> Program:
    """Change a program's facts and, with `document`, replace its signed document. Once the
    program has yearly plans its level, province and parties stay as they are, and its years
    must still hold its plans and phases (`Program.clean`)."""
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"program_update() cannot change {sorted(unknown)}")
    parties = changes.pop("parties", None)
    old_document = program.document.name
    with _document_stored(program, document):
        with transaction.atomic():
            current = Program.objects.select_for_update().get(pk=program.pk)
            if current.has_plans:
                errors = {
                    name: _("Chương trình đã có kế hoạch năm nên không đổi được mục này.")
                    for name in ("level", "province")
                    if name in changes and changes[name] != getattr(current, name)
                }
                if parties is not None and set(parties) != set(current.parties.all()):
                    errors["parties"] = _(
                        "Chương trình đã có kế hoạch năm nên không đổi được cơ quan tham gia."
                    )
                if errors:
                    raise ValidationError(errors)
            for name, value in changes.items():
                setattr(program, name, value)
            validate_parties(program.kind, list(parties or program.parties.all()))
            program.full_clean(exclude=["document"])
            program.save()
            if parties is not None:
                program.parties.set(parties)
    if document is not None and old_document:
        discard_file(program.document.storage, old_document)
    return program


class _document_stored:
    """Store `document` (checked to be a PDF) in `instance`'s file field `field` (its original
    name in `field`_name) before the block that saves the row; remove the file again when the
    block fails, so no file is left without its row. Errors are on `field`. Used for a
    program's signed document and a yearly plan's signed decision."""

    def __init__(self, instance, document, *, field: str = "document", message=NOT_PDF):
        self.instance, self.document, self.field, self.message = instance, document, field, message

    def __enter__(self):
        if not self.document:
            return
        try:
            kind = check_attachment(self.document)
        except ValidationError as error:
            raise ValidationError({self.field: error.messages}) from error
        if kind != PDF:
            raise ValidationError({self.field: self.message}, code="not_pdf")
        name = clean_text(Path(self.document.name).name)[:255]
        setattr(self.instance, f"{self.field}_name", name)
        self.document.name = f"van-ban{PDF.extension}"
        setattr(self.instance, self.field, self.document)
        try:
            store_attachment(getattr(self.instance, self.field), self.document)
        except ValidationError as error:
            raise ValidationError({self.field: error.messages}) from error

    def __exit__(self, kind, error, traceback):
        if error is not None and self.document:
            stored = getattr(self.instance, self.field)
            discard_file(stored.storage, stored.name)
        return False


# --- task areas ---------------------------------------------------------------------------
@transaction.atomic
def task_area_add(
    *, program: Program, title: str, standard_area: int | None = None, by=None
) -> TaskArea:
    """Add a task area after the program's last one; its standard area is the one given, or
    the one its title names (`StandardArea.for_title`)."""
    _lock(program)
    last = program.task_areas.aggregate(last=Max("number"))["last"] or 0
    if standard_area is None:
        standard_area = StandardArea.for_title(title)
    area = TaskArea(program=program, number=last + 1, title=title, standard_area=standard_area)
    area.full_clean()
    _save(area, by)
    return area


@transaction.atomic
def task_area_update(
    *, task_area: TaskArea, title: str, standard_area: int | None = None, by=None
) -> TaskArea:
    """Reword a task area or change its standard area (its activities stay under it)."""
    _lock(task_area.program)
    task_area.title = title
    if standard_area is not None:
        task_area.standard_area = standard_area
    task_area.full_clean()
    _save(task_area, by)
    return task_area


@transaction.atomic
def task_area_move(*, task_area: TaskArea, up: bool, by=None) -> None:
    """Swap a task area with the one before (`up`) or after it; the numbers follow the order.
    At either end nothing moves."""
    _lock(task_area.program)
    areas = list(task_area.program.task_areas.order_by("number"))
    index = next(i for i, a in enumerate(areas) if a.pk == task_area.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(areas):
        return
    areas[index], areas[other] = areas[other], areas[index]
    _renumber(TaskArea, areas)


@transaction.atomic
def task_area_delete(*, task_area: TaskArea, by=None) -> None:
    """Remove a task area no activity uses; the following ones move up a number."""
    program = _lock(task_area.program)
    if task_area.activities.exists():
        raise ValidationError(
            _(
                "Nội dung phối hợp “%(title)s” đã có hoạt động trong kế hoạch năm nên không xóa "
                "được; có thể sửa tên nội dung."
            )
            % {"title": task_area.title},
            code="in_use",
        )
    task_area._history_user = by
    task_area.delete()
    _renumber(TaskArea, list(program.task_areas.order_by("number")))


# --- phases ----------------------------------------------------------------------------------
@transaction.atomic
def phase_add(
    *, program: Program, start_year: int, end_year: int, number: int | None = None, by=None
) -> Phase:
    """Add a phase inside the program's years that overlaps no other phase; phases are
    numbered in the order of their years."""
    _lock(program)
    phase = Phase(program=program, number=number or 999, start_year=start_year, end_year=end_year)
    phase.full_clean(exclude=["number"])
    _save(phase, by)
    _renumber(Phase, list(program.phases.order_by("start_year")))
    phase.refresh_from_db(fields=["number"])
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, start_year: int, end_year: int, by=None) -> Phase:
    """Change a phase's years; the years of the plans it holds stay inside it."""
    program = _lock(phase.program)
    lost = _plan_years(phase).exclude(year__range=(start_year, end_year)).first()
    if lost is not None:
        raise ValidationError(
            _("Giai đoạn đang chứa kế hoạch năm %(year)s: thời gian phải bao gồm năm đó.")
            % {"year": lost},
            code="in_use",
        )
    phase.start_year, phase.end_year = start_year, end_year
    phase.full_clean(exclude=["number"])
    _save(phase, by)
    _renumber(Phase, list(program.phases.order_by("start_year")))
    phase.refresh_from_db(fields=["number"])
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, by=None) -> None:
    """Remove a phase holding no yearly plan (its indicator targets go with it)."""
    program = _lock(phase.program)
    used = _plan_years(phase).first()
    if used is not None:
        raise ValidationError(
            _(
                "%(phase)s đã có kế hoạch năm %(year)s nên không xóa được; có thể sửa thời gian "
                "của giai đoạn."
            )
            % {"phase": phase, "year": used},
            code="in_use",
        )
    for target in phase.targets.all():
        target._history_user = by
        target.delete()
    phase._history_user = by
    phase.delete()
    _renumber(Phase, list(program.phases.order_by("start_year")))


def _plan_years(phase: Phase):
    """The years of the program's plans inside `phase` as saved."""
    saved = Phase.objects.get(pk=phase.pk)
    return (
        phase.program.plans.filter(year__range=(saved.start_year, saved.end_year))
        .order_by("year")
        .values_list("year", flat=True)
    )


# --- indicators ------------------------------------------------------------------------------
@transaction.atomic
def indicator_create(
    *,
    program: Program,
    code: str,
    name: str,
    unit: str,
    aggregation: str = Indicator.Aggregation.SUM,
    task_area: TaskArea | None = None,
    baseline: Decimal | None = None,
    targets: Mapping[Phase, str] | None = None,
    by=None,
) -> Indicator:
    """Create an indicator with its phase targets written as '01', '≥ 1' or '2–3'."""
    indicator = Indicator(
        program=program,
        code=code,
        name=name,
        unit=unit,
        aggregation=aggregation,
        task_area=task_area,
        baseline=baseline,
    )
    indicator.full_clean()
    _save(indicator, by)
    _set_targets(indicator, targets or {}, by)
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, by, targets: Mapping[Phase, str] | None = None, **changes
) -> Indicator:
    """Change an indicator and its phase targets (an empty text removes a phase's target).
    Only what differs is saved, so the history holds real changes only."""
    _lock(indicator.program)
    allowed = {"code", "name", "unit", "aggregation", "task_area", "baseline"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"indicator_update() cannot change {sorted(unknown)}")
    if any(getattr(indicator, name) != value for name, value in changes.items()):
        for name, value in changes.items():
            setattr(indicator, name, value)
        indicator.full_clean()
        _save(indicator, by)
    _set_targets(indicator, targets or {}, by)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by=None) -> None:
    """Remove an indicator no activity names (its targets go with it)."""
    _lock(indicator.program)
    if indicator.activities.exists():
        raise ValidationError(
            _("Chỉ số %(code)s đã được dùng trong hoạt động của kế hoạch năm nên không xóa được.")
            % {"code": indicator.code},
            code="in_use",
        )
    for target in indicator.targets.all():
        target._history_user = by
        target.delete()
    indicator._history_user = by
    indicator.delete()


def _set_targets(indicator: Indicator, targets: Mapping[Phase, str], by) -> None:
    """Write the phase targets given as text; errors name the phase's field
    (`target_<phase id>`), as the indicator form does."""
    existing = {t.phase_id: t for t in indicator.targets.all()}
    errors = {}
    for phase, text in targets.items():
        target = existing.get(phase.pk)
        if not clean_text(text or ""):
            if target is not None:
                target._history_user = by
                target.delete()
            continue
        try:
            low, high = PhaseTarget.parse(text)
        except ValidationError as error:
            errors[f"target_{phase.pk}"] = error.messages
            continue
        if target is None:
            target = PhaseTarget(indicator=indicator, phase=phase)
        elif (target.target_min, target.target_max) == (low, high):
            continue
        target.target_min, target.target_max = low, high
        try:
            target.full_clean()
        except ValidationError as error:
            errors[f"target_{phase.pk}"] = error.messages
            continue
        _save(target, by)
    if errors:
        raise ValidationError(errors)


# --- helpers ---------------------------------------------------------------------------------
def _lock(program: Program) -> Program:
    """Serialise setup changes of one program (numbering, the checks against its plans)."""
    return Program.objects.select_for_update().get(pk=program.pk)


def _save(obj: models.Model, by) -> None:
    obj._history_user = by
    obj.save()


def _renumber(model: type[TaskArea | Phase], ordered: list) -> None:
    """Number `ordered` 1, 2, … in that order. Two passes through numbers no row uses, so the
    unique (program, number) constraint never sees two rows with one number; a plain UPDATE,
    as the numbering is bookkeeping, not a change anyone made to the row."""
    offset = 1 + max((obj.number for obj in ordered), default=0) + len(ordered)
    for position, obj in enumerate(ordered, start=1):
        model.objects.filter(pk=obj.pk).update(number=offset + position)
    for position, obj in enumerate(ordered, start=1):
        model.objects.filter(pk=obj.pk).update(number=position)
        obj.number = position
