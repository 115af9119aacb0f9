"""Who may do what in the report pages: one `core.permissions.Policy` per model, built on the
QuerySet methods that hold the rules, and the report page's summary.

- read:     `visible_to(user)`     — otherwise 404, so a title never leaks;
- write:    `editable_by(user)`    — otherwise 403 (members of a party agency edit drafts and
  record commendations; `writable_programs`);
- finalise: `finalisable_by(user)` — otherwise 403 (a manager of a party agency);
- oversee:  `overseen_programs` — otherwise 403 (who has reported: managers and admins of a
  party agency; central managers and admins for every program).

Whether the report's state allows the change (a finalised report is frozen) is the model's
`is_draft`, which the services refuse on and the page summary asks too. A manager's
finalisation is the party sign-off of `core.signoff`, as a plan's approval is."""

from dataclasses import dataclass
from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from agencies.access import access_for
from coordination.models import Program
from core.permissions import READ, WRITE, WRITE_REFUSAL, Policy
from core.signoff import SignOff
from reporting.models import Commendation, Report, ReportSignatory

from .querysets import writable_programs
from .reporting_status import overseen_programs

FINALISE = "finalise"
OVERSEE = "oversee"


def _writable(programs, user):
    """Programs whose reports and commendations `user` writes (`writable_programs`)."""
    return programs.filter(pk__in=writable_programs(user).values("pk"))


# Writing a program here means starting its reports and recording its commendations;
# overseeing it, following whether it has reported (`reporting_status.overseen_programs`).
program_policy = Policy(
    Program,
    {READ: "visible_to", WRITE: _writable, OVERSEE: overseen_programs},
    refusals={
        WRITE: WRITE_REFUSAL,
        OVERSEE: _(
            "Chỉ lãnh đạo, quản trị viên cơ quan tham gia chương trình (hoặc cơ quan trung ương) "
            "mới xem được tình hình báo cáo."
        ),
    },
)
report_policy = Policy(
    Report,
    {READ: "visible_to", WRITE: "editable_by", FINALISE: "finalisable_by"},
    refusals={
        WRITE: WRITE_REFUSAL,
        FINALISE: _("Chỉ lãnh đạo cơ quan tham gia chương trình mới được xác nhận báo cáo."),
    },
)
commendation_policy = Policy(
    Commendation, {READ: "visible_to", WRITE: "editable_by"}, refusals={WRITE: WRITE_REFUSAL}
)


def report_signoff(report: Report) -> SignOff[ReportSignatory]:
    """The report's signatories (one per party agency) and those that have finalised it."""
    signatories = list(report.signatories.all())
    return SignOff(
        parties=signatories,
        signed=frozenset(s.agency_id for s in signatories if s.is_finalised),
        agency_id=attrgetter("agency_id"),
    )


@dataclass(frozen=True)
class ReportPermissions:
    """What the user may do on one report page: their rights combined with the report's
    state."""

    report: Report
    can_write: bool  # the program's reports, as a member of a party agency (whatever the state)
    finalise_agency_ids: frozenset[int]  # party agencies the user may still finalise for
    # A finalised report's period takes a new version from fresh data (a draft is refreshed
    # instead): offered on its newest version to those who write.
    can_start_new_version: bool

    @property
    def can_edit(self) -> bool:
        return self.can_write and self.report.is_draft

    @property
    def can_finalise(self) -> bool:
        return self.report.is_draft and bool(self.finalise_agency_ids)


def report_permissions(user, report: Report) -> ReportPermissions:
    """The user's rights on `report`: edit it (while a draft), finalise it for which of its
    party agencies (those they manage that have not finalised yet), start its next version."""
    can_write = program_policy.allows(user, report.program, WRITE)
    pending = report_signoff(report).pending_for(access_for(user).manager_agency_ids)
    new_version = (
        can_write
        and not report.is_draft
        and not report.same_period().filter(version__gt=report.version).exists()
    )
    return ReportPermissions(
        report=report,
        can_write=can_write,
        finalise_agency_ids=frozenset(s.agency_id for s in pending),
        can_start_new_version=new_version,
    )
