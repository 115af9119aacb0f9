"""Writes in the coordination app: each one validates, runs in one transaction and returns the
saved object. Views and commands call these; they never save models directly.

`by` is the person making the change: it is written into the history (simple-history) and,
for the plan workflow, decides on whose behalf an approval counts."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.access import access_for
from agencies.models import Agency, Province
from cooperatives.models import Cooperative
from core.signoff import Signed
from core.text import clean_text

from .attachments import check_attachment, discard_file, store_attachment
from .history import changes_since
from .models import (
    STANDARD_TASK_AREAS,
    Activity,
    Indicator,
    NtpProject,
    Phase,
    PhaseTarget,
    PlanApproval,
    Program,
    ProgressUpdate,
    TaskArea,
    YearlyPlan,
    activity_history,
    validate_parties,
)
from .permissions import plan_signoff

# Many-to-many values of an activity, set together with its fields.
ACTIVITY_M2M = ("supporting_agencies", "cooperatives", "ntp_projects")
# What `activity_update` may change.
ACTIVITY_FIELDS = (
    "task_area",
    "title",
    "description",
    "lead_agency",
    "start_date",
    "end_date",
    "planned_budget",
    "budget_source",
    "indicator",
    "target_value",
    *ACTIVITY_M2M,
)


class EditConflict(ValidationError):
    """Someone else saved the activity after the editor loaded it. Carries what they changed
    (`changes`: label, old, new), who (`changed_by`) and when (`changed_at`), and the `current`
    activity, so the editor can see it before deciding again."""

    def __init__(self, *, current: Activity, since_version: int):
        self.current = current
        self.changed_by, self.changed_at, self.changes = changes_since(current, since_version)
        super().__init__(
            _(
                "Người khác đã sửa hoạt động này trong lúc bạn đang sửa; thay đổi của bạn chưa "
                "được lưu. Hãy xem lại rồi lưu lần nữa."
            ),
            code="conflict",
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
    by=None,
) -> YearlyPlan:
    """Create the draft yearly plan of `program` for `year` (one per year, inside the program)."""
    plan = YearlyPlan(
        program=program, year=year, document_number=document_number, issued_on=issued_on
    )
    _insert_plan(plan, by=by, reason=_("Lập kế hoạch"))
    return plan


@transaction.atomic
def plan_copy_from_previous_year(
    *,
    program: Program,
    year: int,
    by=None,
    document_number: str = "",
    issued_on: datetime.date | None = None,
) -> YearlyPlan:
    """Start the draft plan of `year` as a copy of the plan of `year - 1`: every activity with
    its agencies, budget, projects, indicator target and cooperatives, dates moved a year
    (29 February becomes 28 February); progress is not copied. An agency that has since been
    succeeded is replaced by the one carrying it on today."""
    previous = YearlyPlan.objects.filter(program=program, year=year - 1).first()
    if previous is None:
        raise ValidationError(_("Chưa có kế hoạch năm %(year)s để sao chép.") % {"year": year - 1})
    plan = YearlyPlan(
        program=program, year=year, document_number=document_number, issued_on=issued_on
    )
    _insert_plan(plan, by=by, reason=_("Sao chép từ kế hoạch năm %(year)s") % {"year": year - 1})
    today_agency = _current_agencies()
    activities = previous.activities.select_related("lead_agency").prefetch_related(*ACTIVITY_M2M)
    for old in activities:
        # A copy keeps what the old plan said, a budget without a source included; the form
        # asks for the source when someone edits the copy.
        _new_activity(
            by=by,
            past_record=True,
            plan=plan,
            task_area_id=old.task_area_id,
            title=old.title,
            description=old.description,
            lead_agency=today_agency(old.lead_agency),
            start_date=_next_year(old.start_date, year - previous.year),
            end_date=_next_year(old.end_date, year - previous.year),
            planned_budget=old.planned_budget,
            budget_source=old.budget_source,
            indicator_id=old.indicator_id,
            target_value=old.target_value,
            supporting_agencies={today_agency(a) for a in old.supporting_agencies.all()},
            cooperatives=list(old.cooperatives.all()),
            ntp_projects=list(old.ntp_projects.all()),
        )
    return plan


@transaction.atomic
def plan_submit(*, plan: YearlyPlan, by) -> YearlyPlan:
    """Send a draft plan with at least one activity to the party agencies' managers; approvals
    of earlier submissions no longer count."""
    plan = _lock_plan(plan)
    if not plan.can_be_submitted:
        raise ValidationError(_("Chỉ trình duyệt được kế hoạch đang ở trạng thái dự thảo."))
    if not plan.activities.exists():
        raise ValidationError(_("Kế hoạch chưa có hoạt động nào để trình duyệt."))
    plan.status = YearlyPlan.Status.SUBMITTED
    plan.submission_round += 1
    _save_plan(plan, by=by, reason=_("Trình duyệt"))
    return plan


@transaction.atomic
def plan_approve(*, plan: YearlyPlan, by) -> YearlyPlan:
    """Record the approval of every party agency `by` manages that has not yet decided in this
    round; the plan is approved once each party agency has approved."""
    plan = _lock_plan(plan)
    if not plan.can_be_decided:
        raise ValidationError(_("Chỉ phê duyệt được kế hoạch đang trình duyệt."))
    signed = _decide(plan, by, PlanApproval.Decision.APPROVED)
    # While submitted every decision of the round is an approval: all parties have approved.
    if signed.is_complete:
        plan.status = YearlyPlan.Status.APPROVED
    names = ", ".join(agency.name for agency in signed.just_signed)
    _save_plan(plan, by=by, reason=_("Phê duyệt: %(agencies)s") % {"agencies": names})
    return plan


@transaction.atomic
def plan_return(*, plan: YearlyPlan, by, reason: str) -> YearlyPlan:
    """Return a submitted plan to draft with a reason, on behalf of the party agencies `by`
    manages (those that have not yet decided in this round)."""
    reason = _required_reason(reason)
    plan = _lock_plan(plan)
    if not plan.can_be_decided:
        raise ValidationError(_("Chỉ trả lại được kế hoạch đang trình duyệt."))
    _decide(plan, by, PlanApproval.Decision.RETURNED, reason)
    plan.status = YearlyPlan.Status.DRAFT
    _save_plan(plan, by=by, reason=_("Trả lại: %(reason)s") % {"reason": reason})
    return plan


@transaction.atomic
def plan_reopen(*, plan: YearlyPlan, by, reason: str) -> YearlyPlan:
    """Reopen an approved plan for changes (draft again, to be submitted and approved anew);
    `by` manages a party agency, and the required reason is kept in the plan's history."""
    reason = _required_reason(reason)
    plan = _lock_plan(plan)
    if not plan.can_be_reopened:
        raise ValidationError(_("Chỉ mở lại được kế hoạch đã phê duyệt."))
    if not plan_signoff(plan).acting_for(access_for(by).manager_agency_ids):
        raise ValidationError(_("Chỉ lãnh đạo cơ quan tham gia chương trình mới được mở lại."))
    plan.status = YearlyPlan.Status.DRAFT
    _save_plan(plan, by=by, reason=_("Mở lại: %(reason)s") % {"reason": reason})
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
    budget_source: str = "",
    ntp_projects: Iterable[NtpProject] = (),
    by=None,
) -> Activity:
    """Add an activity to a plan; its dates fall inside the plan's year.

    A person working in the pages (`by` given) may only add to a draft plan, and a budget needs
    its source. Loaders that record past plans as they were (the demo data, imports) pass no
    `by`: their activities are `past_record`s."""
    if by is not None:
        plan = _lock_plan(plan)
        _require_draft(plan)
    return _new_activity(
        by=by,
        past_record=by is None,
        plan=plan,
        task_area=task_area,
        title=title,
        description=description,
        lead_agency=lead_agency,
        start_date=start_date,
        end_date=end_date,
        planned_budget=planned_budget,
        budget_source=budget_source,
        indicator=indicator,
        target_value=target_value,
        supporting_agencies=supporting_agencies,
        cooperatives=cooperatives,
        ntp_projects=ntp_projects,
    )


@transaction.atomic
def activity_update(*, activity: Activity, by, expected_version: int, **changes) -> Activity:
    """Change an activity of a draft plan. `expected_version` is the version the editor
    started from: if someone saved in between, `EditConflict` says what they changed and
    nothing is saved. A save that changes nothing leaves the version and history alone."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() cannot change {sorted(unknown)}")
    current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if current is None:
        raise ValidationError(_("Hoạt động này đã bị xóa."))
    _require_draft(_lock_plan(current.plan))
    if current.version != expected_version:
        raise EditConflict(current=current, since_version=expected_version)
    m2m = {name: set(changes.pop(name)) for name in ACTIVITY_M2M if name in changes}
    changed = any(getattr(current, name) != value for name, value in changes.items()) or any(
        set(getattr(current, name).all()) != values for name, values in m2m.items()
    )
    if not changed:
        return current
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    _save_activity(current, by=by, created=False, m2m=m2m)
    return current


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    """Remove an activity from a draft plan. One that already has progress updates stays: its
    reports would be lost."""
    _require_draft(_lock_plan(activity.plan))
    # The lock progress_record takes: an update being recorded now is either seen here (and
    # the activity stays) or told that the activity is gone.
    Activity.objects.select_for_update().filter(pk=activity.pk).exists()
    if activity.progress_updates.exists():
        raise ValidationError(
            _("Hoạt động đã có cập nhật tiến độ nên không xóa được."), code="has_progress"
        )
    activity._history_user = by
    activity.delete()


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
    """Record a dated progress update; the newest one is the activity's current state.
    Progress goes on whatever the plan's status. An attachment must be a PDF, Word, Excel,
    JPEG or PNG file of at most 10 MB, judged by its content; it is stored under a random name
    with the extension of what it really is, and its given name is kept for downloads.

    The file is written before the row and removed if the row cannot be saved; when the disk is
    full, a ValidationError on `attachment` says so and neither the row nor a file is left.
    (Not atomic as a whole on purpose: a file write cannot be rolled back, so it happens before
    the transaction and is undone by hand.)"""
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
    if attachment:
        try:
            kind = check_attachment(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
        update.attachment_name = clean_text(Path(attachment.name).name)[:255]
        attachment.name = f"tep{kind.extension}"
        update.attachment = attachment
    # The activity is checked below, under its lock, when the update is saved.
    update.full_clean(exclude=["activity"])
    update._history_user = author
    if attachment:
        try:
            store_attachment(update.attachment, attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
    try:
        with transaction.atomic():
            # Two updates of one activity at once: the second waits here, so each sees the
            # other when it flags the activity's latest update (ProgressUpdate.save). An
            # activity deleted meanwhile (activity_delete takes the same lock) is said so,
            # instead of the database refusing the update for its missing activity.
            if not Activity.objects.select_for_update().filter(pk=activity.pk).exists():
                raise ValidationError(
                    _("Hoạt động này vừa bị xóa nên không ghi nhận được tiến độ."),
                    code="activity_deleted",
                )
            update.save()
    except BaseException:
        if attachment:
            discard_file(update.attachment.storage, update.attachment.name)
        raise
    return update


# --- helpers ------------------------------------------------------------------------------
def _lock_plan(plan: YearlyPlan) -> YearlyPlan:
    """The plan's row, locked until the transaction ends (PostgreSQL), so that a submission
    and an edit of its activities cannot interleave."""
    return YearlyPlan.objects.select_for_update().select_related("program").get(pk=plan.pk)


def _require_draft(plan: YearlyPlan) -> None:
    if plan.is_locked:
        raise ValidationError(
            _("Kế hoạch đang %(status)s: hoạt động đã bị khóa, không thay đổi được.")
            % {"status": plan.get_status_display().lower()},
            code="locked",
        )


def _save_plan(plan: YearlyPlan, *, by, reason: str) -> None:
    if plan.pk:
        plan.version += 1
    plan._history_user = by
    plan._change_reason = reason
    plan.save()


def _insert_plan(plan: YearlyPlan, *, by, reason: str) -> None:
    """Validate and save a new plan. Two requests creating a program's plan for the same year
    at once both pass `full_clean`; the unique constraint refuses the second, which then gets
    `YearlyPlan.clean`'s own message (it now sees the other plan) rather than an error page."""
    plan.full_clean()
    try:
        with transaction.atomic():
            _save_plan(plan, by=by, reason=reason)
    except IntegrityError:
        plan.full_clean()
        raise


def _new_activity(*, by, past_record: bool, **values) -> Activity:
    m2m = {name: values.pop(name) for name in ACTIVITY_M2M}
    activity = Activity(**values)
    activity.past_record = past_record
    activity.full_clean()
    _save_activity(activity, by=by, created=True, m2m=m2m)
    return activity


def _save_activity(activity: Activity, *, by, created: bool, m2m: dict) -> None:
    """Save fields and many-to-many values, then write ONE history entry holding both."""
    activity.skip_history_when_saving = True
    try:
        activity.save()
        for name, values in m2m.items():
            getattr(activity, name).set(values)
    finally:
        del activity.skip_history_when_saving
    activity._history_user = by
    activity_history.create_historical_record(activity, "+" if created else "~")


def _decide(plan: YearlyPlan, by, decision: str, reason: str = "") -> Signed[Agency]:
    """Record `decision` for each party agency `by` manages that has not yet decided in the
    plan's current round (the sign-off of `core.signoff`); the round after it."""

    def record(agencies: list[Agency]) -> None:
        for agency in agencies:
            PlanApproval.objects.create(
                plan=plan,
                round=plan.submission_round,
                agency=agency,
                decision=decision,
                reason=reason,
                decided_by=by,
            )

    return plan_signoff(plan).sign(
        access_for(by).manager_agency_ids,
        record=record,
        not_a_party=_(
            "Chỉ lãnh đạo cơ quan tham gia chương trình mới được phê duyệt hoặc trả lại."
        ),
        already_signed=_("Cơ quan của bạn đã cho ý kiến về lần trình này."),
    )


def _required_reason(reason: str) -> str:
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do.")})
    return reason


def _next_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _current_agencies():
    """A function giving, for an agency, the one carrying it on today (itself if active)."""
    cache: dict[int, Agency] = {}

    def current(agency: Agency) -> Agency:
        if agency.pk not in cache:
            cache[agency.pk] = agency.current_agency()
        return cache[agency.pk]

    return current
