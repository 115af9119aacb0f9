"""The party sign-off (`core.signoff`) through both services that use it: a yearly plan's
approval (`plan_approve`, one `PlanApproval` per party agency and round) and a report's
finalisation (`report_finalise`, one `ReportSignatory` per party agency). The same rules hold:
a manager signs for each party agency they act for (today's Sở for the old Ban Dân tộc that
signed the program), once; staff cannot; the last party completes it; and the page summary
offers the step exactly while the service would accept it."""

import pytest
from django.core.exceptions import ValidationError

from agencies.models import Membership
from agencies.tests.factories import MembershipFactory, UserFactory
from coordination import services as plans
from coordination.models import YearlyPlan
from coordination.permissions import plan_permissions
from reporting.models import Report
from reporting.reports import services as reports
from reporting.reports.permissions import report_permissions

pytestmark = pytest.mark.django_db


class PlanSignOff:
    """Approval of `world.plan`, once submitted."""

    def __init__(self, world):
        self.plan = plans.plan_submit(plan=world.plan, by=world.staff)

    def sign(self, user):
        self.plan = plans.plan_approve(plan=self.plan, by=user)

    def offered_to(self, user) -> bool:
        return plan_permissions(user, self.plan).can_decide

    def signed_agency_ids(self) -> set[int]:
        approvals = self.plan.approvals.filter(round=self.plan.submission_round)
        return set(approvals.values_list("agency_id", flat=True))

    def is_complete(self) -> bool:
        return YearlyPlan.objects.get(pk=self.plan.pk).status == YearlyPlan.Status.APPROVED


class ReportSignOff:
    """Finalisation of the 2024 review of `world.program`."""

    def __init__(self, world):
        self.report = reports.report_generate(
            program=world.program, kind="annual", year=2024, by=world.staff
        )

    def sign(self, user):
        self.report = reports.report_finalise(report=self.report, by=user)

    def offered_to(self, user) -> bool:
        return report_permissions(user, Report.objects.get(pk=self.report.pk)).can_finalise

    def signed_agency_ids(self) -> set[int]:
        signatories = self.report.signatories.filter(finalised_at__isnull=False)
        return set(signatories.values_list("agency_id", flat=True))

    def is_complete(self) -> bool:
        return Report.objects.get(pk=self.report.pk).status == Report.Status.FINALISED


KINDS = [PlanSignOff, ReportSignOff]


@pytest.mark.parametrize("kind", KINDS, ids=["plan", "report"])
def test_each_party_agency_signs_once_and_the_last_one_completes(world, kind):
    signoff = kind(world)
    assert signoff.offered_to(world.manager) and not signoff.offered_to(world.staff)
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo"):
        signoff.sign(world.staff)

    # The manager of today's Sở signs for the old Ban Dân tộc Bình Phước, a party.
    signoff.sign(world.manager)
    assert signoff.signed_agency_ids() == {world.ethnic_old.pk}
    assert not signoff.is_complete()
    assert not signoff.offered_to(world.manager) and signoff.offered_to(world.alliance_manager)
    with pytest.raises(ValidationError):
        signoff.sign(world.manager)
    assert signoff.signed_agency_ids() == {world.ethnic_old.pk}

    signoff.sign(world.alliance_manager)
    assert signoff.signed_agency_ids() == {world.ethnic_old.pk, world.alliance.pk}
    assert signoff.is_complete()
    assert not signoff.offered_to(world.alliance_manager)


@pytest.mark.parametrize("kind", KINDS, ids=["plan", "report"])
def test_a_manager_of_both_parties_signs_for_both_at_once(world, kind):
    both = UserFactory(username="both")
    for agency in (world.ethnic, world.alliance):
        MembershipFactory(user=both, agency=agency, role=Membership.Role.MANAGER)
    signoff = kind(world)
    signoff.sign(both)
    assert signoff.signed_agency_ids() == {world.ethnic_old.pk, world.alliance.pk}
    assert signoff.is_complete()


@pytest.mark.parametrize("kind", KINDS, ids=["plan", "report"])
def test_the_superuser_signs_for_no_party(world, kind):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    signoff = kind(world)
    assert not signoff.offered_to(root)
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo"):
        signoff.sign(root)
    assert signoff.signed_agency_ids() == set() and not signoff.is_complete()
