"""Summary rows the dashboards count instead of the activities and their progress (issue 18).

`ActivityTally` holds, per yearly plan, the activities grouped by everything a figure counts
or filters them by (task area, indicator, status, and the end date of the open ones, which the
overdue rule needs); `SupportedCooperative` the distinct cooperatives each plan's activities of
a task area support. Both hold the plan's rows recounted from the raw ones: every write that can
change them (an activity saved or deleted, its cooperatives changed, a progress update saved
or deleted) recounts its plan — a progress update only its activity's task area of it — in
the same transaction (`recount_plans`), so the summary never disagrees with the raw rows; bulk loads call `recount_plans` (or `manage.py rebuild_summary`)
themselves. What the summary does not hold is joined when read (the plan's year and program,
the program's province, the task area's number, title and standard area, the cooperative's
sector and province), so changing those needs no recount.

The recount is written with plain ORM expressions (no QuerySet method of ours), and takes its
models from an app registry, so that the migration creating these tables can fill them with
the same code for the models as they were then (`rebuild(apps)`)."""

from collections.abc import Iterable

from django.apps import apps as installed_apps
from django.db import models
from django.db.models import Case, Count, F, FilteredRelation, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative

from .plans import YearlyPlan
from .program import Indicator, Program, TaskArea

# The statuses that close an activity (`querysets.CLOSED_STATUSES`), and the one counted for an
# activity never reported on. Repeated here, not imported, for the migration (see above).
CLOSED = ("done", "cancelled")
NOT_STARTED = "not_started"
BATCH = 500


class ActivityTally(models.Model):
    """How many activities of a plan share a task area, an indicator, a status (of the latest
    update; 'not_started' without one) and, for open ones, an end date; with their planned
    budget, spending (the latest update's) and achieved value (the sum of the latest updates'
    values, over `reported` activities that have one)."""

    plan = models.ForeignKey(
        YearlyPlan, verbose_name=_("kế hoạch năm"), on_delete=models.CASCADE, related_name="+"
    )
    # Activity.task_area is PROTECT: a task area with activities is never deleted.
    task_area = models.ForeignKey(
        TaskArea, verbose_name=_("nội dung phối hợp"), on_delete=models.CASCADE, related_name="+"
    )
    # SET_NULL as Activity.indicator: deleting an indicator updates both the same way.
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ số"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("trạng thái"), max_length=12)
    # The end date when the status leaves the activity open (it is overdue once this is past);
    # None for done and cancelled ones, so that those collapse into one row.
    due = models.DateField(_("ngày kết thúc (hoạt động chưa xong)"), null=True)
    activities = models.PositiveIntegerField(_("số hoạt động"))
    planned_budget = models.BigIntegerField(_("kinh phí dự kiến (đồng)"))
    budget_spent = models.BigIntegerField(_("kinh phí đã sử dụng (đồng)"))
    actual_value = models.DecimalField(
        _("kết quả đạt được"), max_digits=24, decimal_places=2, null=True
    )
    reported = models.PositiveIntegerField(_("số hoạt động có kết quả"))

    class Meta:
        verbose_name = _("tổng hợp hoạt động")
        verbose_name_plural = _("tổng hợp hoạt động")
        indexes = [
            models.Index(fields=["plan", "task_area"], name="tally_plan_area_idx"),
            # The dashboards' most overdue activities: the earliest past due dates first.
            models.Index(fields=["due", "plan"], name="tally_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.task_area_id}: {self.activities} {self.status}"


class SupportedCooperative(models.Model):
    """A cooperative supported by at least one activity of a plan's task area."""

    plan = models.ForeignKey(
        YearlyPlan, verbose_name=_("kế hoạch năm"), on_delete=models.CASCADE, related_name="+"
    )
    task_area = models.ForeignKey(
        TaskArea, verbose_name=_("nội dung phối hợp"), on_delete=models.CASCADE, related_name="+"
    )
    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("hợp tác xã"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("tổng hợp HTX được hỗ trợ")
        verbose_name_plural = _("tổng hợp HTX được hỗ trợ")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "task_area", "cooperative"], name="supported_coop_unique"
            )
        ]
        indexes = [models.Index(fields=["cooperative"], name="supported_coop_idx")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.task_area_id}: {self.cooperative_id}"


class CooperativeReach(models.Model):
    """How many distinct cooperatives a program's activities support: in one year (`plan`, the
    program's plan of that year) or, with `plan` None, in all its years. Programs (and plans)
    supporting none have no row. The national overview's cooperatives by province add these up
    when each province has one program (`reporting.figures.activities`): a distinct count, it
    cannot be added across the plans, task areas or programs it is made of."""

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        YearlyPlan,
        verbose_name=_("kế hoạch năm"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    cooperatives = models.PositiveIntegerField(_("số HTX được hỗ trợ"))

    class Meta:
        verbose_name = _("tổng hợp số HTX được hỗ trợ")
        verbose_name_plural = _("tổng hợp số HTX được hỗ trợ")
        constraints = [
            models.UniqueConstraint(fields=["program", "plan"], name="reach_one_per_plan"),
            models.UniqueConstraint(
                fields=["program"], condition=Q(plan=None), name="reach_one_all_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.plan_id or '*'}: {self.cooperatives}"


def tally_rows(activities: models.QuerySet) -> models.QuerySet:
    """The `ActivityTally` rows of these activities, as dicts of its fields: the recount from
    the raw rows (activities joined to their latest update, `ProgressUpdate.is_latest`)."""
    latest = FilteredRelation("progress_updates", condition=Q(progress_updates__is_latest=True))
    status = Coalesce(F("latest__status"), Value(NOT_STARTED))
    return (
        activities.annotate(latest=latest)
        .annotate(tally_status=status)
        .annotate(
            tally_due=Case(
                When(tally_status__in=CLOSED, then=Value(None)),
                default=F("end_date"),
                output_field=models.DateField(),
            )
        )
        .values("plan_id", "task_area_id", "indicator_id", "tally_status", "tally_due")
        .annotate(
            n=Count("pk"),
            planned=Coalesce(Sum("planned_budget"), 0),
            spent=Coalesce(Sum("latest__budget_spent"), 0),
            value=Sum("latest__actual_value"),
            n_reported=Count("latest__actual_value"),
        )
        .order_by()
    )


def support_rows(activities: models.QuerySet) -> models.QuerySet:
    """The `SupportedCooperative` rows of these activities (plan, task area, cooperative),
    distinct."""
    links = activities.model.cooperatives.through.objects.filter(activity__in=activities)
    return (
        links.values("activity__plan_id", "activity__task_area_id", "cooperative_id")
        .distinct()
        .order_by()
    )


TALLY_FIELDS = ["activities", "planned_budget", "budget_spent", "actual_value", "reported"]
TALLY_KEY = ["plan_id", "task_area_id", "indicator_id", "status", "due"]


def recount_plans(
    plan_ids: Iterable[int | None],
    *,
    cooperatives: bool = True,
    task_areas: Iterable[int] | None = None,
    apps=installed_apps,
) -> None:
    """Make the summary rows of these plans equal a recount of their activities. Call it in
    the transaction of the write. Only rows that differ are written: a progress update moves
    an activity between two rows, so a plan of 600 activities costs one grouped query and
    two or three row writes. `cooperatives=False` when only progress changed (it never
    changes which cooperatives are supported); `task_areas` when only those task areas' rows
    of the plans can have changed (a progress update: its activity's task area)."""
    ids = sorted({pk for pk in plan_ids if pk is not None})
    if not ids:
        return
    activity = apps.get_model("coordination", "Activity")
    tally = apps.get_model("coordination", "ActivityTally")
    activities = activity.objects.filter(plan_id__in=ids)
    rows = tally.objects.filter(plan_id__in=ids)
    if task_areas is not None:
        activities = activities.filter(task_area_id__in=list(task_areas))
        rows = rows.filter(task_area_id__in=list(task_areas))
    wanted = {
        (row["plan_id"], row["task_area_id"], row["indicator_id"], row["tally_status"],
         row["tally_due"]): (row["n"], row["planned"], row["spent"], row["value"],
                             row["n_reported"])
        for row in tally_rows(activities)
    }  # fmt: skip
    current = (
        (pk, tuple(values[: len(TALLY_KEY)]), tuple(values[len(TALLY_KEY) :]))
        for pk, *values in rows.values_list("pk", *TALLY_KEY, *TALLY_FIELDS)
    )
    _write_differences(
        tally,
        current,
        wanted,
        lambda key, counts: tally(
            **dict(zip(TALLY_KEY, key, strict=True)),
            **dict(zip(TALLY_FIELDS, counts, strict=True)),
        ),
    )
    if cooperatives and task_areas is None:
        _recount_supported(ids, activities, apps)


def _recount_supported(ids: list[int], activities: models.QuerySet, apps) -> None:
    support = apps.get_model("coordination", "SupportedCooperative")
    wanted = {
        (row["activity__plan_id"], row["activity__task_area_id"], row["cooperative_id"]): None
        for row in support_rows(activities)
    }
    current = (
        (pk, tuple(key), None)
        for pk, *key in support.objects.filter(plan_id__in=ids).values_list(
            "pk", "plan_id", "task_area_id", "cooperative_id"
        )
    )
    changed = _write_differences(
        support,
        current,
        wanted,
        lambda key, _none: support(plan_id=key[0], task_area_id=key[1], cooperative_id=key[2]),
    )
    if changed:
        recount_reach(plan_ids=ids, apps=apps)


def recount_reach(
    *,
    plan_ids: Iterable[int] = (),
    program_ids: Iterable[int] = (),
    apps=installed_apps,
) -> None:
    """Make the `CooperativeReach` rows of these plans (their year) and of these plans' and
    programs' all years equal a recount of `SupportedCooperative`. Called when a plan's
    supported cooperatives changed, in the same transaction, and when a cooperative or a plan
    is deleted (their rows go by a cascade, without a recount). Does nothing before the
    migration that made the table (the summary's own migration recounts with this code)."""
    reach = _reach_model(apps)
    if reach is None:
        return
    support = apps.get_model("coordination", "SupportedCooperative")
    plans = apps.get_model("coordination", "YearlyPlan")
    plan_ids = sorted(set(plan_ids))
    found = plans.objects.filter(pk__in=plan_ids).values_list("pk", "program_id").order_by()
    program_of = dict(found)
    programs = sorted(set(program_ids) | set(program_of.values()))
    if not programs:
        return
    distinct = Count("cooperative_id", distinct=True)
    wanted = {
        (program_of[row["plan_id"]], row["plan_id"]): row["n"]
        for row in support.objects.filter(plan_id__in=program_of)
        .values("plan_id")
        .annotate(n=distinct)
        .order_by()
    }
    for row in (
        support.objects.filter(plan__program_id__in=programs)
        .values("plan__program_id")
        .annotate(n=distinct)
        .order_by()
    ):
        wanted[(row["plan__program_id"], None)] = row["n"]
    mine = Q(plan_id__in=program_of) | Q(program_id__in=programs, plan=None)
    current = reach.objects.filter(mine).values_list("pk", "program_id", "plan_id", "cooperatives")
    _write_differences(
        reach,
        ((pk, (program, plan), n) for pk, program, plan, n in current),
        wanted,
        lambda key, n: reach(program_id=key[0], plan_id=key[1], cooperatives=n),
    )


def rebuild_reach(apps=installed_apps) -> None:
    """Recount every `CooperativeReach` row (bulk loads, the summary's rebuild)."""
    reach = _reach_model(apps)
    if reach is None:
        return
    reach.objects.all().delete()
    plans = apps.get_model("coordination", "YearlyPlan").objects.values_list("pk", flat=True)
    recount_reach(plan_ids=list(plans), apps=apps)


def _reach_model(apps):
    """`CooperativeReach` as `apps` has it; None in the migrations before it existed."""
    try:
        return apps.get_model("coordination", "CooperativeReach")
    except LookupError:
        return None


def rebuild(apps=installed_apps) -> int:
    """Recount the summary of every plan (existing installations, bulk loads); the number of
    plans. Plans are recounted fifty at a time to keep memory flat."""
    plans = list(
        apps.get_model("coordination", "YearlyPlan")
        .objects.order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(plans), 50):
        recount_plans(plans[start : start + 50], apps=apps)
    rebuild_reach(apps)
    return len(plans)


def _write_differences(model, current: Iterable[tuple], wanted: dict, build) -> bool:
    """Make a model's rows equal a recount: `current` is (pk, key, value) of the rows there,
    `wanted` key → value of the recount (the rows found right are taken out of it),
    `build(key, value)` a new row. Rows that are right stay; the others are deleted (a
    duplicate key too: it is no longer wanted) and the missing ones created. Whether anything
    was written."""
    stale = []
    for pk, key, value in current:
        if key in wanted and wanted[key] == value:
            del wanted[key]  # already right
        else:
            stale.append(pk)
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(
        [build(key, value) for key, value in wanted.items()], batch_size=BATCH
    )
    return bool(stale or wanted)
