"""Writes of yearly plans: creating or copying one, and its workflow (submit, approve, return,
reopen)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import access_for
from agencies.models import Agency
from core.signoff import Signed
from core.storage import discard_file
from core.text import clean_text

from .. import notices
from ..models import (
    PlanApproval,
    Program,
    YearlyPlan,
)
from ..permissions import plan_signoff
from .activities import ACTIVITY_M2M, _new_activity
from .drafts import lock_plan
from .programs import _document_stored


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
    move_years_in_titles: bool = False,
) -> YearlyPlan:
    """Start the draft plan of `year` as a copy of the plan of `year - 1`: every activity with
    its agencies, budget, projects, indicator target and cooperatives, dates moved a year
    (29 February becomes 28 February); progress is not copied. An agency that has since been
    succeeded is replaced by the one carrying it on today.

    With `move_years_in_titles`, a year standing alone in an activity's title moves too
    ("Sơ kết năm 2025" → "Sơ kết năm 2026"; a period such as "2021–2025" stays); the returned
    plan's `titles_moved` lists each (old title, new title)."""
    previous = YearlyPlan.objects.filter(program=program, year=year - 1).first()
    if previous is None:
        raise ValidationError(_("Chưa có kế hoạch năm %(year)s để sao chép.") % {"year": year - 1})
    plan = YearlyPlan(
        program=program, year=year, document_number=document_number, issued_on=issued_on
    )
    _insert_plan(plan, by=by, reason=_("Sao chép từ kế hoạch năm %(year)s") % {"year": year - 1})
    today_agency = _current_agencies()
    activities = previous.activities.select_related("lead_agency").prefetch_related(*ACTIVITY_M2M)
    plan.titles_moved = []
    for old in activities:
        title = old.title
        if move_years_in_titles:
            title = move_years(old.title, year - previous.year)
            if title != old.title:
                plan.titles_moved.append((old.title, title))
        # A copy keeps what the old plan said, a budget without a source included; the form
        # asks for the source when someone edits the copy.
        _new_activity(
            by=by,
            past_record=True,
            plan=plan,
            task_area_id=old.task_area_id,
            title=title,
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
    plan = lock_plan(plan)
    if not plan.can_be_submitted:
        raise ValidationError(_("Chỉ trình duyệt được kế hoạch đang ở trạng thái dự thảo."))
    if not plan.activities.exists():
        raise ValidationError(_("Kế hoạch chưa có hoạt động nào để trình duyệt."))
    plan.status = YearlyPlan.Status.SUBMITTED
    plan.submission_round += 1
    plan.back_to_draft, plan.back_to_draft_reason = "", ""
    _save_plan(plan, by=by, reason=_("Trình duyệt"))
    notices.plan_submitted(plan, by=by)
    return plan


@transaction.atomic
def plan_withdraw(*, plan: YearlyPlan, by) -> YearlyPlan:
    """Take a submitted plan back to draft before any party agency has decided on it (staff
    who sent it too early); the next submission starts a new round."""
    plan = lock_plan(plan)
    if not plan.can_be_withdrawn:
        raise ValidationError(
            _("Chỉ rút lại được kế hoạch đang chờ phê duyệt mà chưa cơ quan nào cho ý kiến.")
        )
    plan.status = YearlyPlan.Status.DRAFT
    _save_plan(plan, by=by, reason=_("Rút lại để chỉnh sửa"))
    return plan


@transaction.atomic
def plan_approve(*, plan: YearlyPlan, by) -> YearlyPlan:
    """Record the approval of every party agency `by` manages that has not yet decided in this
    round; the plan is approved once each party agency has approved."""
    plan = lock_plan(plan)
    if not plan.can_be_decided:
        raise ValidationError(_("Chỉ phê duyệt được kế hoạch đang trình duyệt."))
    signed = _decide(plan, by, PlanApproval.Decision.APPROVED)
    # While submitted every decision of the round is an approval: all parties have approved.
    if signed.is_complete:
        plan.status = YearlyPlan.Status.APPROVED
    names = ", ".join(agency.name for agency in signed.just_signed)
    _save_plan(plan, by=by, reason=_("Phê duyệt: %(agencies)s") % {"agencies": names})
    if signed.is_complete:
        notices.plan_approved(plan)
    return plan


@transaction.atomic
def plan_return(*, plan: YearlyPlan, by, reason: str) -> YearlyPlan:
    """Return a submitted plan to draft with a reason, on behalf of the party agencies `by`
    manages (those that have not yet decided in this round)."""
    reason = _required_reason(reason)
    plan = lock_plan(plan)
    if not plan.can_be_decided:
        raise ValidationError(_("Chỉ trả lại được kế hoạch đang trình duyệt."))
    _decide(plan, by, PlanApproval.Decision.RETURNED, reason)
    plan.status = YearlyPlan.Status.DRAFT
    plan.back_to_draft = YearlyPlan.BackToDraft.RETURNED
    plan.back_to_draft_reason = reason
    _save_plan(plan, by=by, reason=_("Trả lại: %(reason)s") % {"reason": reason})
    notices.plan_returned(plan, reason=reason)
    return plan


@transaction.atomic
def plan_reopen(*, plan: YearlyPlan, by, reason: str) -> YearlyPlan:
    """Reopen an approved plan for changes (draft again, to be submitted and approved anew);
    `by` manages a party agency, and the required reason is kept in the plan's history."""
    reason = _required_reason(reason)
    plan = lock_plan(plan)
    if not plan.can_be_reopened:
        raise ValidationError(_("Chỉ mở lại được kế hoạch đã phê duyệt."))
    if not plan_signoff(plan).acting_for(access_for(by).manager_agency_ids):
        raise ValidationError(_("Chỉ lãnh đạo cơ quan tham gia chương trình mới được mở lại."))
    plan.status = YearlyPlan.Status.DRAFT
    plan.back_to_draft = YearlyPlan.BackToDraft.REOPENED
    plan.back_to_draft_reason = reason
    _save_plan(plan, by=by, reason=_("Mở lại: %(reason)s") % {"reason": reason})
    notices.plan_reopened(plan, reason=reason)
    return plan


# A year of this century standing alone: not part of a period ("2021-2025", "2021–2025"),
# a date ("31/12/2025") or a longer number.
_LONE_YEAR = re.compile(r"(?<![\d\-–/.])(20\d\d)(?![\d\-–/.]|\s*[-–]\s*20\d\d)")


def move_years(text: str, years: int) -> str:
    """`text` with every year standing alone moved by `years` (periods and dates stay)."""

    def move(match: re.Match) -> str:
        if text[: match.start()].rstrip().endswith(("-", "–")):  # the end of "2021 – 2025"
            return match.group(1)
        return str(int(match.group(1)) + years)

    return _LONE_YEAR.sub(move, text)


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


NOT_PDF_DECISION = gettext_lazy("Quyết định ký phải là tệp PDF.")


def plan_attach_decision(*, plan: YearlyPlan, by, upload) -> YearlyPlan:
    """Attach (or replace) the signed plan decision: a PDF judged by its content, stored under
    a random name before the row is saved and removed again if the row cannot be; the old file
    is removed once the new one is saved. Who may do it is the view's check (`plan_policy`,
    APPROVE: the managers of the plan's party agencies)."""
    old = plan.decision.name
    with _document_stored(plan, upload, field="decision", message=NOT_PDF_DECISION):
        with transaction.atomic():
            YearlyPlan.objects.select_for_update().filter(pk=plan.pk).first()
            plan._change_reason = _("Đính kèm quyết định ký")
            plan.save(update_fields=["decision", "decision_name", "updated_at"])
    if old and old != plan.decision.name:
        discard_file(plan.decision.storage, old)
    return plan
