"""Reading the change history that django-simple-history keeps for plans, activities and
progress updates: who changed what and when, in words a user reads ('Kinh phí: 10.000.000 →
12.000.000'). Each read runs a fixed number of queries, whatever the plan's size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from core.formatting import number

from .models import Activity, Indicator, Phase, PhaseTarget, ProgressUpdate, TaskArea, YearlyPlan

# Bookkeeping columns: not something a user changed.
SKIPPED = {"id", "version", "submission_round", "created_at", "updated_at", "search_key"}
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class FieldChange:
    """One field's old and new value as shown to a user."""

    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One change: when, by whom, to what (`subject`, with a link while it exists), its kind
    ('created', 'changed', 'deleted'), the reason given and the fields changed."""

    when: datetime.datetime
    user: object
    kind: str
    subject: str
    url: str = ""
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    # (record, subject function, (previous record, m2m) or None) until `_resolved`.
    pending: tuple | None = field(default=None, repr=False)


def plan_history(plan: YearlyPlan, limit: int = 30) -> list[Entry]:
    """The latest `limit` changes to a plan, its activities (removed ones included) and their
    progress updates, newest first.

    Only the newest `limit` records of each kind are read, with the earlier records of the
    objects they changed (to say what changed) and the activities' titles: a plan in use for a
    year has thousands of records of its activities and their progress, and the page shows 30
    (docs/benchmarks.md, "The coordination pages")."""
    plan_records = _records(YearlyPlan).filter(id=plan.pk)
    activity_records = _records(Activity).filter(plan_id=plan.pk)
    progress_records = _records(ProgressUpdate).filter(
        activity_id__in=activity_records.values("id")
    )
    plans = _newest(plan_records, limit)
    activities = _newest(activity_records, limit)
    progress = _newest(progress_records, limit)
    # One read of the shown activities' records: the earlier ones of those changed, and the
    # newest title of those whose progress is shown.
    wanted = _changed(activities) | {r.activity_id for r in progress}
    earlier = list(_ordered_plain(activity_records.filter(id__in=wanted))) if wanted else []
    titles = {record.id: record.title for record in earlier}
    live = set(
        plan.activities.filter(
            pk__in={r.id for r in activities} | {r.activity_id for r in progress}
        ).values_list("pk", flat=True)
    )
    # The model's own name, lower case: "đã tạo kế hoạch năm" / "created yearly plan" (a
    # capitalised title such as the menu's "Hoạt động" would read "created Activities").
    entries = _entries_of(plans, _previous(plans, plan_records), lambda r: (_noun(YearlyPlan), ""))
    entries += _entries_of(
        activities,
        _previous(activities, earlier),
        lambda r: (_("Hoạt động “%(title)s”") % {"title": r.title}, _url(r.id, live)),
    )
    entries += _entries_of(
        progress,
        _previous(progress, progress_records),
        lambda r: (_progress_subject(r, titles.get(r.activity_id, "")), _url(r.activity_id, live)),
    )
    # Stable: changes at the same moment keep the plan, activity, progress order.
    entries.sort(key=lambda e: e.when, reverse=True)
    return _resolved(entries[:limit])


def activity_history(activity: Activity) -> list[Entry]:
    """Every change to one activity (many-to-many values included) and its progress updates,
    newest first."""
    url = activity.get_absolute_url()
    entries = _entries(
        _ordered(_records(Activity).filter(id=activity.pk)),
        lambda r: (_noun(Activity), url),
        m2m=True,
    )
    entries += _entries(
        _ordered(_records(ProgressUpdate).filter(activity_id=activity.pk)),
        lambda r: (_progress_subject(r, ""), url),
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return _resolved(entries)


def setup_history(program, limit: int = 30) -> list[Entry]:
    """The latest `limit` changes to a program's task areas, phases, indicators and phase
    targets (removed ones included), newest first."""
    indicators = _ordered(Indicator.history.filter(program_id=program.pk))
    codes = {record.id: record.code for record in indicators}
    phases = _ordered(Phase.history.filter(program_id=program.pk))
    spans = {record.id: f"{record.start_year}–{record.end_year}" for record in phases}
    entries = _entries(
        _ordered(TaskArea.history.filter(program_id=program.pk)),
        lambda r: (_("Nội dung phối hợp “%(title)s”") % {"title": r.title}, ""),
    )
    entries += _entries(phases, lambda r: (str(r.instance), ""))
    entries += _entries(
        indicators,
        lambda r: (_("Chỉ số %(code)s. %(name)s") % {"code": r.code, "name": r.name}, ""),
    )
    entries += _entries(
        _ordered(PhaseTarget.history.filter(indicator_id__in=list(codes))),
        lambda r: (
            _("Chỉ tiêu của chỉ số %(code)s, giai đoạn %(phase)s")
            % {"code": codes.get(r.indicator_id, ""), "phase": spans.get(r.phase_id, "")},
            "",
        ),
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return _resolved(entries[:limit])


def changes_since(activity: Activity, version: int) -> tuple[object, object, list[FieldChange]]:
    """Who last saved `activity`, when, and what now differs from the state it had at
    `version` (fields and many-to-many values): what an editor whose save was refused sees."""
    records = _ordered(activity.history.all())
    if not records:
        return None, None, []
    latest = records[-1]
    base = next((r for r in reversed(records) if r.version == version), None)
    changes = [] if base is None else _field_changes(base, latest) + _m2m_changes(base, latest)
    entry = Entry(latest.history_date, latest.history_user, "changed", "", changes=changes)
    _resolved([entry])
    return latest.history_user, latest.history_date, entry.changes


# --- building entries -----------------------------------------------------------------------
@cache
def _historical(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def _records(model: type[models.Model]) -> models.QuerySet:
    """Every historical record of `model`, through the historical model's own manager (the
    same rows as `model.history.all()`): simple-history's `Model.history` and
    `instance.history` build a new manager class on every access (`from_queryset`, with
    `inspect.getmembers`), 2 % of the activity page's CPU and about 1 ms four times per plan
    page (issue 18, fifth pass)."""
    return _historical(model)._default_manager.all()


def _ordered(records) -> list:
    return list(records.select_related("history_user").order_by("history_date", "history_id"))


def _ordered_plain(records):
    return records.order_by("history_date", "history_id")


def _newest(records, limit: int) -> list:
    """The newest `limit` records in the order the history shows them: newest first, records
    of the same moment oldest first (as `_ordered` then a stable sort by date gives)."""
    return list(
        records.select_related("history_user").order_by("-history_date", "history_id")[:limit]
    )


def _changed(records: list) -> set[int]:
    return {record.id for record in records if record.history_type == "~"}


def _previous(records: list, history) -> dict[int, object]:
    """The record before each changed one of `records` (by history id), taken from `history`
    (the same kind's records: a queryset, read only when a record was changed, or a list in
    `_ordered` order)."""
    changed = _changed(records)
    if not changed:
        return {}
    if not isinstance(history, list):
        history = _ordered_plain(history.filter(id__in=changed))
    previous, last = {}, {}
    for record in history:
        previous[record.history_id] = last.get(record.id)
        last[record.id] = record
    return previous


def _entries_of(records: list, previous: dict[int, object], subject) -> list[Entry]:
    """Entries of `records` (in their order), changes compared against `previous`."""
    return [
        _entry(record, subject, previous.get(record.history_id), m2m=False) for record in records
    ]


def _url(activity_id: int, live: set[int]) -> str:
    return (
        reverse("coordination:activity_detail", args=[activity_id]) if activity_id in live else ""
    )


def _noun(model) -> str:
    return str(model._meta.verbose_name)


def _progress_subject(record, title: str) -> str:
    status = ProgressUpdate.Status(record.status).label
    if title:
        return _("Tiến độ “%(title)s”: %(status)s, %(percent)s%%") % {
            "title": title,
            "status": status,
            "percent": record.percent,
        }
    return _("Tiến độ: %(status)s, %(percent)s%%") % {"status": status, "percent": record.percent}


def _entries(records: list, subject, *, m2m: bool = False) -> list[Entry]:
    """Entries for the historical records of one model (oldest first). The subject and the
    changes (against the previous record of the same object) are worked out later, in
    `_resolved`, and only for the entries shown."""
    previous: dict[int, object] = {}
    entries = []
    for record in records:
        entries.append(_entry(record, subject, previous.get(record.id), m2m=m2m))
        previous[record.id] = record
    return entries


def _entry(record, subject, before, *, m2m: bool) -> Entry:
    """The entry of one record; `before` is the previous record of the same object (or None)."""
    compare = (before, m2m) if record.history_type == "~" and before is not None else None
    return Entry(
        when=record.history_date,
        user=record.history_user,
        kind=KINDS[record.history_type],
        subject="",
        reason=record.history_change_reason or "",
        pending=(record, subject, compare),
    )


class _Raw(FieldChange):
    """A change whose values are still raw (ids, dates, amounts) until `_resolved`."""

    def __init__(self, model_field, old, new):
        super().__init__(_label(model_field), old, new)
        self.field = model_field


def _label(model_field) -> str:
    text = str(model_field.verbose_name)
    return text[:1].upper() + text[1:]


def _field_changes(old, new) -> list[FieldChange]:
    changes = []
    for model_field in new.instance_type._meta.concrete_fields:
        if model_field.name in SKIPPED or not model_field.editable:
            continue
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if before != after:
            changes.append(_Raw(model_field, before, after))
    return changes


def _m2m_changes(old, new) -> list[FieldChange]:
    """Many-to-many differences, through simple-history's `diff_against`."""
    m2m_names = [f.name for f in new._history_m2m_fields]
    delta = new.diff_against(old, included_fields=m2m_names)
    changes = []
    for change in delta.changes:
        model_field = new.instance_type._meta.get_field(change.field)
        column = model_field.m2m_reverse_field_name()
        before = sorted(row[column] for row in change.old)
        after = sorted(row[column] for row in change.new)
        changes.append(_Raw(model_field, before, after))
    return changes


def _resolved(entries: list[Entry]) -> list[Entry]:
    """Work out the changes of `entries` and turn raw values into text; related rows are named
    with one query per related model."""
    for entry in entries:
        if entry.pending:
            record, subject, compare = entry.pending
            entry.subject, entry.url = subject(record)
            if compare:
                before, m2m = compare
                entry.changes = _field_changes(before, record)
                if m2m:
                    entry.changes += _m2m_changes(before, record)
            entry.pending = None
    pending = [c for entry in entries for c in entry.changes if isinstance(c, _Raw)]
    wanted: dict[type, set] = defaultdict(set)
    for change in pending:
        if change.field.is_relation:
            for value in (change.old, change.new):
                wanted[change.field.related_model].update(
                    value if isinstance(value, list) else [value]
                )
    names = {
        model: {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids - {None})}
        for model, ids in wanted.items()
    }
    for entry in entries:
        entry.changes = [
            FieldChange(
                c.label,
                _display(c.field, c.old, names),
                _display(c.field, c.new, names),
            )
            if isinstance(c, _Raw)
            else c
            for c in entry.changes
        ]
    return entries


def _display(model_field, value, names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if model_field.is_relation:
        known = names.get(model_field.related_model, {})
        values = value if isinstance(value, list) else [value]
        return "; ".join(known.get(pk, f"#{pk}") for pk in values)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return number(value)
    if isinstance(model_field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)
