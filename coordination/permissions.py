"""Who may do what in the coordination pages: one `core.permissions.Policy` per model, built on
the QuerySet methods that hold the rules, and the plan and activity pages' summaries.

- read:    `visible_to(user)`    — otherwise 404, so a title never leaks;
- write:   `editable_by(user)`   — otherwise 403 (the user may see it but not change it);
- approve: `approvable_by(user)` — otherwise 403 (approve, return, reopen a yearly plan);
- setup:   `set_up_by(user)`     — otherwise 403 (a program's facts, task areas, phases and
  indicators: managers and admins of a party agency; admins for a national program);
- register: `register_policy` on `Agency` — the agencies on whose behalf a user may register a
  new program (`registering_agencies`); `may_register` applies it to a proposed program.
- reopen_period: `approvable_by(user)` — otherwise 403 (reopen a closed reporting period, or
  close it again: managers of a party agency);
- report:  `reportable_by(user)` — otherwise 403 (record an activity's progress: the lead
  agency, the plan's parties and the supporting agencies; only the first two change or delete
  the activity, `editable_by`).

Anonymous users never get here: the views require login and send them to the login page.
Whether a plan's state allows a step (`YearlyPlan.can_be_submitted`, `is_locked`, …) is the
model's predicate: the service refuses with its message, and the page summaries below combine
the same predicate with the user's rights to show or hide the button.
"""

from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from agencies.access import access_for
from agencies.models import Agency, Level, Province
from core.permissions import READ, WRITE, WRITE_REFUSAL, Policy
from core.signoff import SignOff

from .models import Activity, Program, ProgressUpdate, YearlyPlan
from .querysets import registering_agencies

APPROVE = "approve"
SETUP = "setup"
REGISTER = "register"
REPORT = "report"
REOPEN_PERIOD = "reopen_period"
_RULES = {READ: "visible_to", WRITE: "editable_by", APPROVE: "approvable_by"}
_REFUSALS = {
    WRITE: WRITE_REFUSAL,
    APPROVE: _("Chỉ lãnh đạo cơ quan tham gia chương trình mới được phê duyệt kế hoạch."),
}
SETUP_REFUSAL = _(
    "Chỉ lãnh đạo hoặc quản trị viên của cơ quan tham gia chương trình mới được thiết lập "
    "chương trình."
)

# Writing a program means starting its yearly plans; setting it up is its leaders'.
# Reopening a closed reporting period (and closing it again) is the party agencies' managers'.
program_policy = Policy(
    Program,
    {**_RULES, SETUP: "set_up_by", REOPEN_PERIOD: "approvable_by"},
    refusals={
        **_REFUSALS,
        SETUP: SETUP_REFUSAL,
        REOPEN_PERIOD: _(
            "Chỉ lãnh đạo cơ quan tham gia chương trình mới được mở lại hoặc khóa lại kỳ báo cáo."
        ),
    },
)
# Agencies are reference data everyone reads; a program is registered on an agency's behalf.
register_policy = Policy(
    Agency,
    {READ: lambda agencies, user: agencies, REGISTER: registering_agencies},
    refusals={
        REGISTER: _(
            "Chỉ lãnh đạo hoặc quản trị viên của cơ quan công tác dân tộc, Liên minh HTX (quản "
            "trị viên cấp trung ương với chương trình toàn quốc) mới được đăng ký chương trình."
        )
    },
)


def may_register(user, *, level: str, province: Province | None, parties) -> bool:
    """Whether `user` may register a program of `level` (and `province`) signed by `parties`:
    one of the parties is an agency they register for (`register_policy`), of the same level
    and, for a provincial program, of the same province as it is today."""
    own = register_policy.instances(
        user, REGISTER, Agency.objects.filter(pk__in=[a.pk for a in parties], level=level)
    ).select_related("province")
    if level == Level.CENTRAL:
        return own.exists()
    if province is None:
        return False
    unit = province.current_unit()
    return any(a.province_id and a.province.current_unit() == unit for a in own)


plan_policy = Policy(YearlyPlan, _RULES, refusals=_REFUSALS)
activity_policy = Policy(
    Activity,
    {READ: "visible_to", WRITE: "editable_by", REPORT: "reportable_by"},
    refusals={
        WRITE: _(
            "Chỉ cơ quan chủ trì hoạt động hoặc cơ quan tham gia chương trình mới được sửa, xóa "
            "hoạt động này."
        ),
        REPORT: _(
            "Chỉ cơ quan chủ trì, phối hợp thực hiện hoặc tham gia chương trình mới được cập "
            "nhật tiến độ hoạt động này."
        ),
    },
)
progress_policy = Policy(ProgressUpdate, {READ: "visible_to"})


def plan_signoff(plan: YearlyPlan, *, with_decisions: bool = True) -> SignOff[Agency]:
    """The party agencies of `plan`'s program and those that have decided (approved or
    returned) in its current submission round. While the plan is submitted every decision is
    an approval (a return sends it back to draft), so a complete sign-off is an approved plan.

    `with_decisions=False`: the parties alone, nobody counted as signed — enough to know whom
    a manager acts for (`acting_for`), one query fewer."""
    decided = ()
    if with_decisions:
        decided = plan.approvals.filter(round=plan.submission_round).values_list(
            "agency_id", flat=True
        )
    return SignOff(
        parties=list(plan.program.parties.all()),
        signed=frozenset(decided),
        agency_id=attrgetter("pk"),
    )


@dataclass(frozen=True)
class ActivityPermissions:
    """What the user may do on one activity: report its progress (in every plan status; the
    supporting agencies too) and change or delete it (the lead agency and the plan's parties,
    only while its plan is a draft)."""

    can_report_progress: bool
    can_change: bool


def activity_permissions(user, activity: Activity) -> ActivityPermissions:
    """The user's rights on `activity` (one query)."""
    allowed = activity_policy.allowed(user, activity, (WRITE, REPORT))
    return _activity_permissions(
        activity.plan, can_write=WRITE in allowed, can_report=REPORT in allowed
    )


def _activity_permissions(
    plan: YearlyPlan, *, can_write: bool, can_report: bool
) -> ActivityPermissions:
    return ActivityPermissions(
        can_report_progress=can_write or can_report, can_change=can_write and not plan.is_locked
    )


@dataclass(frozen=True)
class PlanPermissions:
    """What the user may do on one plan page, worked out in a fixed number of queries: the
    user's rights combined with the plan's state predicates. The sign-off (who decides for
    which party) is read only when a decision button asks: a task area opened in place, or
    the plan's body redrawn after an activity's change, shows none."""

    plan: YearlyPlan
    can_edit: bool  # the plan's content, as a party member (whatever its status)
    managed_agency_ids: frozenset[int]  # the user's agencies as a manager (and predecessors)
    editable_activity_ids: frozenset[int]  # activities their agency leads
    reportable_activity_ids: frozenset[int]  # activities their agency leads or supports

    @cached_property
    def _signoff(self) -> SignOff[Agency] | None:
        return plan_signoff(self.plan) if self.managed_agency_ids else None

    @cached_property
    def approver_agency_ids(self) -> frozenset[int]:
        """The party agencies the user decides for: the parties alone tell (the plan page's
        decision button asks for this round's decisions only while the plan is submitted)."""
        if not self.managed_agency_ids:
            return frozenset()
        parties = plan_signoff(self.plan, with_decisions=False)
        return frozenset(a.pk for a in parties.acting_for(self.managed_agency_ids))

    @cached_property
    def undecided_agency_ids(self) -> frozenset[int]:
        """Of `approver_agency_ids`, the ones not decided in this round."""
        if self._signoff is None:
            return frozenset()
        return frozenset(a.pk for a in self._signoff.pending_for(self.managed_agency_ids))

    @property
    def can_attach_decision(self) -> bool:
        """Attach the signed plan decision: the leaders of a party agency (`plan_policy`
        APPROVE), whatever the plan's status (docs/decisions.md)."""
        return bool(self.approver_agency_ids)

    @property
    def can_submit(self) -> bool:
        return self.can_edit and self.plan.can_be_submitted

    @property
    def can_withdraw(self) -> bool:
        """Take back a submission no party agency has decided on yet."""
        return self.can_edit and self.plan.can_be_withdrawn

    @property
    def can_decide(self) -> bool:
        """Approve or return: while one of the user's party agencies has not decided."""
        return self.plan.can_be_decided and bool(self.undecided_agency_ids)

    @property
    def can_reopen(self) -> bool:
        return self.plan.can_be_reopened and bool(self.approver_agency_ids)

    @property
    def can_add_activity(self) -> bool:
        return self.can_edit and not self.plan.is_locked

    def for_activity(self, activity: Activity) -> ActivityPermissions:
        return _activity_permissions(
            self.plan,
            can_write=self.can_edit or activity.pk in self.editable_activity_ids,
            can_report=self.can_edit or activity.pk in self.reportable_activity_ids,
        )


def plan_permissions(user, plan: YearlyPlan) -> PlanPermissions:
    """The user's rights on `plan`: edit its content, decide on it (and for which party
    agencies, read when first asked), and which activities they may change (lead) or report
    progress on (lead or supporting agency)."""
    can_edit = plan_policy.allows(user, plan, WRITE)
    editable_ids = reportable_ids = frozenset()
    if not can_edit:  # a party's member may do both on every activity of the plan
        activities = Activity.objects.filter(plan=plan)
        editable_ids, reportable_ids = (
            frozenset(
                activity_policy.instances(user, action, activities).values_list("pk", flat=True)
            )
            for action in (WRITE, REPORT)
        )
    return PlanPermissions(
        plan=plan,
        can_edit=can_edit,
        managed_agency_ids=access_for(user).manager_agency_ids,
        editable_activity_ids=editable_ids,
        reportable_activity_ids=reportable_ids,
    )
