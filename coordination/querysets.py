import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.access import access_for
from core.text import search_key


def _program_ids_involving(agency_ids) -> Q:
    """Programs where one of `agency_ids` is a party, or leads or supports an activity."""
    from .models import Activity, Program

    party = Program.parties.through.objects.filter(agency_id__in=agency_ids).values("program_id")
    led = Activity.objects.filter(lead_agency_id__in=agency_ids).values("plan__program_id")
    supporting = Activity.supporting_agencies.through.objects.filter(
        agency_id__in=agency_ids
    ).values("activity__plan__program_id")
    return Q(pk__in=party) | Q(pk__in=led) | Q(pk__in=supporting)


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Programs the user may read: all for central managers and admins; for others those
        where one of their agencies (or a predecessor) is a party or takes part in an activity;
        provincial managers also read every program of their province (old units included)."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.reads_everything:
            return self.all()
        condition = _program_ids_involving(access.agency_ids)
        if access.manager_agency_ids and access.province_ids:
            condition |= Q(province_id__in=access.province_ids)
        return self.filter(condition)

    def editable_by(self, user):
        """Programs whose yearly plans the user may write: one of their agencies (or a
        predecessor it carries on) is a party, whatever their role there. Reading everything
        (central managers, admins) gives no right to write."""
        access = access_for(user)
        if not access.authenticated or not access.agency_ids:
            return self.none()
        return self.where_party(access.agency_ids)

    def approvable_by(self, user):
        """Programs where the user is a manager of a party agency: they approve, return and
        reopen its yearly plans on that agency's behalf."""
        access = access_for(user)
        if not access.authenticated or not access.manager_agency_ids:
            return self.none()
        return self.where_party(access.manager_agency_ids)

    def involving(self, user):
        """Programs the user works on: one of their agencies is a party or leads or supports an
        activity. Unlike `visible_to`, reading rights alone do not count."""
        access = access_for(user)
        if not access.authenticated or not access.agency_ids:
            return self.none()
        return self.filter(_program_ids_involving(access.agency_ids))

    def where_party(self, agency_ids):
        """Programs where one of `agency_ids` is a signing party."""
        return self.filter(
            pk__in=self.model.parties.through.objects.filter(agency_id__in=agency_ids).values(
                "program_id"
            )
        )

    def search(self, query: str):
        """Tone-insensitive search on title and number."""
        return self.filter(search_key__contains=search_key(query)) if query else self


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Plans of the programs the user may read."""
        from .models import Program

        return self.filter(program__in=Program.objects.visible_to(user).values("pk"))

    def editable_by(self, user):
        """Plans whose content the user may write (activities, submission, copying): plans of
        the programs `editable_by` them. Whether the plan's status allows it is the services'
        rule (`YearlyPlan.is_locked`)."""
        from .models import Program

        return self.filter(program__in=Program.objects.editable_by(user).values("pk"))

    def approvable_by(self, user):
        """Plans the user may approve, return or reopen: plans of the programs `approvable_by`
        them."""
        from .models import Program

        return self.filter(program__in=Program.objects.approvable_by(user).values("pk"))

    def involving(self, user):
        """'My plans': plans of the programs the user works on (see `Program.involving`)."""
        from .models import Program

        return self.filter(program__in=Program.objects.involving(user).values("pk"))

    def awaiting_approval_by(self, user):
        """Submitted plans where the user manages a party agency that has not yet decided in the
        current submission round."""
        from .models import PlanApproval

        access = access_for(user)
        if not access.authenticated or not access.manager_agency_ids:
            return self.none()
        decided = PlanApproval.objects.filter(
            plan=OuterRef("pk"),
            round=OuterRef("submission_round"),
            agency_id__in=access.manager_agency_ids,
        )
        return self.approvable_by(user).filter(status="submitted").exclude(Exists(decided))

    def for_year(self, year: int):
        return self.filter(year=year)


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities of the plans the user may read."""
        from .models import Program

        return self.filter(plan__program__in=Program.objects.visible_to(user).values("pk"))

    def editable_by(self, user):
        """Activities the user may change and report progress on: every activity of the plans
        `editable_by` them, and the activities their agency leads or supports. Whether the plan's
        status allows changing the activity itself is the services' rule."""
        from .models import Program

        access = access_for(user)
        if not access.authenticated or not access.agency_ids:
            return self.none()
        own = Q(lead_agency_id__in=access.agency_ids) | Q(
            pk__in=self.model.supporting_agencies.through.objects.filter(
                agency_id__in=access.agency_ids
            ).values("activity_id")
        )
        return self.filter(
            Q(plan__program__in=Program.objects.editable_by(user).values("pk")) | own
        )

    def with_latest_progress(self):
        """Annotate `latest_status` and `latest_percent` from the newest progress update."""
        from .models import ProgressUpdate

        latest = ProgressUpdate.objects.filter(activity=OuterRef("pk")).order_by(
            "-reported_on", "-created_at", "-pk"
        )
        return self.annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_percent=Subquery(latest.values("percent")[:1]),
        )

    def overdue(self, today: datetime.date | None = None):
        """Activities whose end date has passed and whose latest status is not done or cancelled."""
        today = today or timezone.localdate()
        return (
            self.with_latest_progress()
            # A never-reported activity has no status and counts as not started; Coalesce keeps
            # it (NOT IN would drop a NULL) with one evaluation of the latest-status subquery.
            .alias(open_status=Coalesce("latest_status", Value("not_started")))
            .filter(end_date__lt=today)
            .exclude(open_status__in=["done", "cancelled"])
        )


class ProgressUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Progress updates (and so their attachments) of the activities the user may read."""
        from .models import Program

        return self.filter(
            activity__plan__program__in=Program.objects.visible_to(user).values("pk")
        )
