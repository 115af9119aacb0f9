import datetime

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.access import access_for
from core.text import search_key

# Newest first, as `ProgressUpdate.Meta.get_latest_by` (reversed).
NEWEST_FIRST = ("-reported_on", "-created_at", "-pk")
# The name under which `with_latest_progress()` joins an activity's latest update.
LATEST_UPDATE = "latest_update"
# Statuses that close an activity: it can no longer be overdue. An activity never reported on
# counts as not started.
CLOSED_STATUSES = ("done", "cancelled")
NOT_STARTED = "not_started"


def is_overdue(*, end_date: datetime.date, status: str | None, today: datetime.date) -> bool:
    """The overdue rule in Python: the end date has passed and the latest status (None = not
    started) does not close the activity. `ActivityQuerySet.with_overdue()` is its SQL twin;
    `Activity.is_overdue()` applies it to one activity."""
    return end_date < today and (status or NOT_STARTED) not in CLOSED_STATUSES


def related_model(model: type[models.Model], path: str) -> type[models.Model]:
    """The model at the end of the relation `path` ("plan__program") from `model`.

    How these querysets reach the other coordination models: `models` imports this module for
    its managers, so importing `models` here would be a cycle. Named by the same path as the
    lookup it serves, the related model is also the one that lookup filters on."""
    for name in path.split(LOOKUP_SEP):
        model = model._meta.get_field(name).related_model
    return model


class ProgramQuerySet(models.QuerySet):
    def _involving_condition(self, agency_ids) -> Q:
        """Programs where one of `agency_ids` is a party, or leads or supports an activity."""
        Activity = related_model(self.model, "plans__activities")
        party = self.model.parties.through.objects.filter(agency_id__in=agency_ids).values(
            "program_id"
        )
        led = Activity.objects.filter(lead_agency_id__in=agency_ids).values("plan__program_id")
        supporting = Activity.supporting_agencies.through.objects.filter(
            agency_id__in=agency_ids
        ).values("activity__plan__program_id")
        return Q(pk__in=party) | Q(pk__in=led) | Q(pk__in=supporting)

    def visible_to(self, user):
        """Programs the user may read: all for central managers and admins; for others those
        where one of their agencies (or a predecessor) is a party or takes part in an activity;
        provincial managers also read every program of their province (old units included)."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.reads_everything:
            return self.all()
        condition = self._involving_condition(access.agency_ids)
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

    def set_up_by(self, user):
        """Programs whose setup (facts, signed document, task areas, phases, indicators) the
        user may change: provincial programs where they are a manager or admin of a party
        agency (or a predecessor it carries on); national programs where they are an admin of
        a party agency. Reading everything gives no right to set up."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        leaders = access.manager_agency_ids | access.admin_agency_ids
        if not leaders:
            return self.none()
        provincial = self.where_party(leaders).exclude(level="central")
        return provincial | self.where_party(access.admin_agency_ids).filter(level="central")

    def involving(self, user):
        """Programs the user works on: one of their agencies is a party or leads or supports an
        activity. Unlike `visible_to`, reading rights alone do not count."""
        access = access_for(user)
        if not access.authenticated or not access.agency_ids:
            return self.none()
        return self.filter(self._involving_condition(access.agency_ids))

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


def registering_agencies(agencies, user):
    """The agencies among `agencies` on whose behalf `user` may register a new program: the
    active agencies where they are a manager or admin of a provincial agency, or an admin of a
    central one (national programs). `coordination.permissions.register_policy` asks this."""
    access = access_for(user)
    if not access.authenticated:
        return agencies.none()
    provincial = Q(pk__in=access.manager_agency_ids | access.admin_agency_ids) & ~Q(level="central")
    central = Q(pk__in=access.admin_agency_ids, level="central")
    return agencies.filter(provincial | central, active=True)


class PlanQuerySet(models.QuerySet):
    def _programs(self) -> ProgramQuerySet:
        """All programs, reached through the `program` lookup the filters below use."""
        return related_model(self.model, "program").objects.all()

    def status_since(self) -> dict[int, datetime.datetime]:
        """When each plan entered the status it has now, from its history (one query): the
        oldest of the newest run of historical records sharing the newest one's status (every
        save writes one, so the newest is the plan as it is). `updated_at` is not it: a
        decision attached to an approved plan moves it. Plans without history are left out."""
        history = self.model.history.filter(id__in=self.values("pk")).order_by(
            "id", "-history_date", "-history_id"
        )
        since: dict[int, datetime.datetime] = {}
        status_now: dict[int, str] = {}
        ended: set[int] = set()
        for plan_id, status, when in history.values_list("id", "status", "history_date"):
            if plan_id in ended:
                continue
            if status_now.setdefault(plan_id, status) == status:
                since[plan_id] = when
            else:
                ended.add(plan_id)
        return since

    def visible_to(self, user):
        """Plans of the programs the user may read."""
        return self.filter(program__in=self._programs().visible_to(user).values("pk"))

    def editable_by(self, user):
        """Plans whose content the user may write (activities, submission, copying): plans of
        the programs `editable_by` them. Whether the plan's status allows it is the services'
        rule (`YearlyPlan.is_locked`)."""
        return self.filter(program__in=self._programs().editable_by(user).values("pk"))

    def approvable_by(self, user):
        """Plans the user may approve, return or reopen: plans of the programs `approvable_by`
        them."""
        return self.filter(program__in=self._programs().approvable_by(user).values("pk"))

    def involving(self, user):
        """'My plans': plans of the programs the user works on (see `Program.involving`)."""
        return self.filter(program__in=self._programs().involving(user).values("pk"))

    def awaiting_approval_by(self, user):
        """Submitted plans where the user manages a party agency that has not yet decided in the
        current submission round."""
        access = access_for(user)
        if not access.authenticated or not access.manager_agency_ids:
            return self.none()
        decided = related_model(self.model, "approvals").objects.filter(
            plan=OuterRef("pk"),
            round=OuterRef("submission_round"),
            agency_id__in=access.manager_agency_ids,
        )
        return self.approvable_by(user).filter(status="submitted").exclude(Exists(decided))

    def for_year(self, year: int):
        return self.filter(year=year)


class ActivityQuerySet(models.QuerySet):
    def _programs(self) -> ProgramQuerySet:
        """All programs, reached through the `plan__program` lookup the filters below use."""
        return related_model(self.model, "plan__program").objects.all()

    def visible_to(self, user):
        """Activities of the plans the user may read."""
        return self.filter(plan__program__in=self._programs().visible_to(user).values("pk"))

    def _editable_condition(self, user) -> Q | None:
        """The condition of `editable_by` on each activity row; None when the user may change
        none. A condition on the row, not `pk IN (the editable activities)`: asked about one
        activity, the database checks that row instead of listing every activity of the
        user's programs first (40 ms on SQLite for a province's 3,000 activities)."""
        access = access_for(user)
        if not access.authenticated or not access.agency_ids:
            return None
        return Q(plan__program__in=self._programs().editable_by(user).values("pk")) | Q(
            lead_agency_id__in=access.agency_ids
        )

    def editable_by(self, user):
        """Activities the user may change and delete: every activity of the plans `editable_by`
        them (a party's members) and the activities their agency leads. A supporting agency
        reads and reports progress (`reportable_by`) but does not rewrite another body's
        activity. Whether the plan's status allows the change is the services' rule
        (`YearlyPlan.is_locked`: only while the plan is a draft)."""
        condition = self._editable_condition(user)
        return self.none() if condition is None else self.filter(condition)

    def reportable_by(self, user):
        """Activities the user may record progress on (in every plan status): those they may
        change (`editable_by`) and those their agency supports."""
        condition = self._editable_condition(user)
        if condition is None:
            return self.none()
        supported = self.model.supporting_agencies.through.objects.filter(
            agency_id__in=access_for(user).agency_ids
        ).values("activity_id")
        return self.filter(condition | Q(pk__in=supported))

    def with_latest_progress(self):
        """Annotate the activity's state from its latest progress update (`is_latest`):
        `latest_status`, `latest_percent`, `latest_budget_spent`, `latest_actual_value`, all
        None for an activity never reported on. The update itself is joined as `latest_update`
        (e.g. `F("latest_update__note")`). One LEFT JOIN on the partial unique index; calling it
        twice is harmless."""
        if "latest_status" in self.query.annotations:
            return self
        return self.annotate(
            **{
                LATEST_UPDATE: FilteredRelation(
                    "progress_updates", condition=Q(progress_updates__is_latest=True)
                )
            }
        ).annotate(
            latest_status=F(f"{LATEST_UPDATE}__status"),
            latest_percent=F(f"{LATEST_UPDATE}__percent"),
            latest_budget_spent=F(f"{LATEST_UPDATE}__budget_spent"),
            latest_actual_value=F(f"{LATEST_UPDATE}__actual_value"),
        )

    def _newest_update_as_of(self, day: datetime.date):
        updates = related_model(self.model, "progress_updates").objects
        return updates.filter(activity=OuterRef("pk"), reported_on__lte=day).order_by(*NEWEST_FIRST)

    def with_progress_as_of(self, day: datetime.date):
        """Annotate the same `latest_*` values as `with_latest_progress()`, from the newest
        update dated on or before `day` (a report's cut-off: updates after it count in the next
        period). Correlated subqueries: for reports, not lists."""
        if "latest_status" in self.query.annotations:
            return self
        newest = self._newest_update_as_of(day)
        return self.annotate(
            **{
                f"latest_{field}": Subquery(newest.values(field)[:1])
                for field in ("status", "percent", "budget_spent", "actual_value")
            }
        )

    def with_note_as_of(self, day: datetime.date):
        """Annotate `latest_note`, the note of the update `with_progress_as_of(day)` reads."""
        return self.annotate(
            latest_note=Subquery(self._newest_update_as_of(day).values("note")[:1])
        )

    def _with_open_status(self):
        # Coalesce keeps a never-reported activity as not started (NOT IN would drop a NULL).
        return self.with_latest_progress().alias(
            open_status=Coalesce("latest_status", Value(NOT_STARTED))
        )

    @staticmethod
    def _overdue_condition(today: datetime.date) -> Q:
        return Q(end_date__lt=today) & ~Q(open_status__in=CLOSED_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        """Activities whose end date has passed and whose latest status is not done or
        cancelled: the SQL twin of `is_overdue` (and of `Activity.is_overdue()`)."""
        today = today or timezone.localdate()
        return self._with_open_status().filter(self._overdue_condition(today))

    def with_overdue(self, today: datetime.date | None = None):
        """Annotate `overdue` (a boolean) by the same rule as `overdue()`, for counting overdue
        activities among others in one grouped query."""
        today = today or timezone.localdate()
        return self._with_open_status().annotate(
            overdue=Case(
                When(self._overdue_condition(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )


class ProgressUpdateQuerySet(models.QuerySet):
    def _newest_of_its_activity(self) -> Subquery:
        """The id of the newest update of the outer row's activity (`Meta.get_latest_by`
        order: `reported_on`, then `created_at`, then id): one index look-up per row."""
        return Subquery(
            self.model.objects.filter(activity=OuterRef("activity"))
            .order_by(*NEWEST_FIRST)
            .values("pk")[:1]
        )

    def newest_of_each_activity(self):
        """The newest update of each activity among these."""
        return self.filter(pk=self._newest_of_its_activity())

    def mark_latest(self) -> None:
        """Set `is_latest` on the newest update of each activity that has updates among these,
        and clear it on the others. Pass every update of an activity (filter by activity): a
        subset would flag its own newest. Two statements, clearing first, so the partial
        unique index never sees two latest updates of one activity.

        The clearing compares each flagged row with its own activity's newest, not with the
        set of every activity's newest (`NOT IN (subquery)`): PostgreSQL cannot make an
        anti-join of that, and on a fresh table without statistics it re-ran the set for each
        row (minutes for a few thousand updates)."""
        newest = self.newest_of_each_activity()
        self.filter(is_latest=True).exclude(pk=self._newest_of_its_activity()).update(
            is_latest=False
        )
        newest.filter(is_latest=False).update(is_latest=True)

    def visible_to(self, user):
        """Progress updates (and so their attachments) of the activities the user may read."""
        programs = related_model(self.model, "activity__plan__program").objects.all()
        return self.filter(activity__plan__program__in=programs.visible_to(user).values("pk"))
