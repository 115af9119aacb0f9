"""Writes of activities and of their progress updates."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from cooperatives.models import Cooperative
from core.storage import discard_file
from core.text import clean_paragraphs, clean_text

from ..attachments import check_attachment, store_attachment
from ..history import changes_since
from ..models import (
    Activity,
    Indicator,
    NtpProject,
    ProgressUpdate,
    TaskArea,
    YearlyPlan,
    activity_history,
)
from .drafts import lock_plan, require_draft

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
        plan = lock_plan(plan)
        require_draft(plan)
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
    require_draft(lock_plan(current.plan))
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
    require_draft(lock_plan(activity.plan))
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
    result_text: str = "",
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
        result_text=clean_paragraphs(result_text),
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
    # The activity is checked below, under its lock, when the update is saved; the author is
    # the signed-in user, not input. The check constraints restate the fields' validators,
    # which this runs, and the database enforces them: asking it again is a query each.
    update.full_clean(exclude=["activity", "author"], validate_constraints=False)
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
