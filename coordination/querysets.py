import datetime

from django.db import models
from django.db.models import OuterRef, Q, Subquery
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

    def for_year(self, year: int):
        return self.filter(year=year)


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities of the plans the user may read."""
        from .models import Program

        return self.filter(plan__program__in=Program.objects.visible_to(user).values("pk"))

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
            .filter(end_date__lt=today)
            # A never-reported activity has no status: NOT IN would drop its NULL.
            .filter(Q(latest_status__isnull=True) | ~Q(latest_status__in=["done", "cancelled"]))
        )


class ProgressUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import Program

        return self.filter(
            activity__plan__program__in=Program.objects.visible_to(user).values("pk")
        )
