"""The report snapshot: a program and a period in, plain data out (the JSON a report keeps).

Every figure comes from `reporting.figures`, so a report and a dashboard never disagree; the
few aggregates it does not offer (an indicator's planned value for a year, the note of an
activity's latest update) are computed here. The result holds only JSON types (numbers as
int or decimal strings, dates as ISO strings) so it can be stored as is and rendered later by
the HTML, .docx and .xlsx writers without touching the database again.

What a report covers: its program and the programs it **carries on** — programs of units that
roll up into the same current province whose party agencies are, today, the same agencies
(after 1 July 2025 the Sở Dân tộc và Tôn giáo and the Liên minh HTX of new An Giang carry on the
programs of old Kiên Giang). Rows recorded under an old province are labelled with it
("Kiên Giang (cũ)").
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, F, Max, Sum
from django.utils import timezone

from agencies.models import Agency, Province
from coordination import periods
from coordination.models import (
    Phase,
    Program,
    ProgressUpdate,
    StandardArea,
    TaskArea,
    YearlyPlan,
)
from coordination.querysets import LATEST_UPDATE, is_overdue
from core.text import vi_sort_key
from reporting import figures
from reporting.figures import Filters, Tally

from .models import Commendation
from .rollup import compile_rollup

SCHEMA = 1
ANNUAL, PHASE, HALF = periods.ANNUAL, "phase", periods.HALF
# Reviews of one year's window (sơ kết), as opposed to a phase's summary (tổng kết).
YEARLY = (ANNUAL, HALF)
DONE = ProgressUpdate.Status.DONE
DELAYED, NOT_STARTED = ProgressUpdate.Status.DELAYED, ProgressUpdate.Status.NOT_STARTED
# How many activities of a task area a report names: the largest done ones, and the lagging
# ones (delayed first, then overdue, then not started). The appendix lists them all.
NOTABLE_DONE = 5
NOTABLE_LAGGING = 10
# Agencies sign in this order: ethnic affairs body first, then the cooperative alliance.
PARTY_ORDER = [
    Agency.Kind.ETHNIC_AFFAIRS,
    Agency.Kind.COOPERATIVE_ALLIANCE,
    Agency.Kind.PEOPLES_COMMITTEE,
    Agency.Kind.DEPARTMENT,
    Agency.Kind.OTHER,
]


def build_report_data(
    *,
    program: Program,
    kind: str,
    year: int | None = None,
    phase: Phase | None = None,
    today: datetime.date | None = None,
) -> dict:
    """Every figure of the sơ kết of `program` for `year` (kind 'annual' or 'half') or the tổng
    kết of its `phase` (kind 'phase'), as plain data. Counting rules: those of
    `reporting.figures`; a sơ kết counts its Nghị định 09 window (`coordination.periods`): the
    year's activities starting by the cut-off and any activity reported on inside the window,
    each with its progress as of the cut-off. A tổng kết counts the plans of its phase's years
    with their latest progress."""
    today = today or timezone.localdate()
    window = None
    if kind in YEARLY:
        if year is None:
            raise ValueError("a sơ kết needs a year")
        years = [year]
        phase = program.phase_of_year(year)
        window = periods.window(kind, year)
    else:
        if phase is None:
            raise ValueError("a phase summary needs a phase")
        years = list(phase.years)
    programs = covered_programs(program, years)
    scope = Program.objects.filter(pk__in=[p.pk for p in programs])
    filters = Filters(years=tuple(years), window=window)
    current = program.province.current_unit() if program.province_id else None

    activities = _activity_rows(scope, filters, today)
    areas = _areas(program, scope, filters, today, activities)
    totals = figures.activity_totals(scope, filters, today=today)
    data = {
        "schema": SCHEMA,
        "kind": kind,
        "as_of": today.isoformat(),
        "period": {
            "year": year,
            "start_year": years[0],
            "end_year": years[-1],
            "phase_number": phase.number if phase else None,
            "phase_start": phase.start_year if phase else None,
            "phase_end": phase.end_year if phase else None,
            "window_start": window[0].isoformat() if window else None,
            "window_end": window[1].isoformat() if window else None,
            "next": _next_period(program, kind, years),
        },
        "program": _program_row(program, main=True),
        "current_province": (
            {"id": current.pk, "name": current.name, "label": current.label} if current else None
        ),
        "programs": [_program_row(p, main=p.pk == program.pk) for p in programs],
        "parties": _parties(program),
        "plans": _plans(scope, years),
        "totals": tally_data(totals),
        "areas": areas,
        "by_year": (
            [
                {"year": row.year, "tally": tally_data(row.tally), "cooperatives": row.cooperatives}
                for row in figures.yearly_trend(scope, filters, today=today)
            ]
            if kind == PHASE
            else []
        ),
        "by_origin": _by_origin(programs, filters, today),
        "indicators": _indicators(scope, kind, years, phase, filters.progress_day),
        "cooperatives": _cooperatives(scope, filters),
        "activities": activities,
        "commendations": _commendations(programs, years),
    }
    if program.provincial_programs.exists():
        # A national program's report compiles the provinces' finalised reports (rollup.py).
        data["rollup"] = compile_rollup(program, kind=kind, year=year, phase=phase)
    return data


def covered_programs(program: Program, years: list[int]) -> list[Program]:
    """`program` first, then the programs it carries on that run during `years` (see the module
    docstring); national programs carry on nothing."""
    if not program.province_id:
        return [program]
    unit = program.province.current_unit()
    mine = _current_parties(program)
    candidates = (
        Program.objects.filter(province__in=Province.objects.rolling_up_into(unit))
        .exclude(pk=program.pk)
        .filter(start_year__lte=years[-1], end_year__gte=years[0])
        .select_related("province")
        .prefetch_related("parties__successor")
        .order_by("start_year", "pk")
    )
    return [program, *(p for p in candidates if _current_parties(p) == mine)]


def _current_parties(program: Program) -> frozenset[int]:
    return frozenset(agency.current_agency().pk for agency in program.parties.all())


def _next_period(program: Program, kind: str, years: list[int]) -> dict:
    """The year or phase the 'directions' section looks ahead to."""
    if kind in YEARLY:
        return {"kind": ANNUAL, "year": years[-1] + 1}
    following = program.phases.filter(start_year__gt=years[-1]).order_by("start_year").first()
    if following:
        return {"kind": PHASE, "start": following.start_year, "end": following.end_year}
    return {"kind": PHASE, "start": years[-1] + 1, "end": years[-1] + 5}


def origin_label(province: Province | None) -> str:
    """'Kiên Giang (cũ)' for records of a unit that no longer exists; '' otherwise."""
    return province.label if province and not province.is_current else ""


def _program_row(program: Program, *, main: bool) -> dict:
    province = program.province
    return {
        "id": program.pk,
        "title": program.title,
        "number": program.number,
        "kind": program.kind,
        "level": program.level,
        "signed_on": program.signed_on.isoformat() if program.signed_on else None,
        "start_year": program.start_year,
        "end_year": program.end_year,
        "province": province.label if province else "",
        # Set for records of an old province that a current unit carries on.
        "origin": origin_label(province),
        "main": main,
    }


def _parties(program: Program) -> list[dict]:
    """The program's party agencies as signed, each with the agency that carries it on today."""
    rows = []
    for agency in program.parties.select_related("province", "successor"):
        today = agency.current_agency()
        rows.append(
            {
                "agency_id": agency.pk,
                "name": agency.name,
                "current_id": today.pk,
                "current_name": today.name,
                "short_name": today.short_name,
                "kind": today.kind,
                "level": today.level,
                "province": today.province.name if today.province_id else "",
            }
        )
    rows.sort(key=lambda r: (PARTY_ORDER.index(r["kind"]), vi_sort_key(r["current_name"])))
    return rows


def _plans(scope, years: list[int]) -> list[dict]:
    plans = (
        YearlyPlan.objects.filter(program__in=scope.values("pk"), year__in=years)
        .annotate(n=Count("activities"), budget=Sum("activities__planned_budget"))
        .order_by("year", "program_id")
    )
    return [
        {
            "program_id": plan.program_id,
            "year": plan.year,
            "document_number": plan.document_number,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "status": plan.status,
            "activities": plan.n,
            "planned_budget": plan.budget or 0,
        }
        for plan in plans
    ]


def tally_data(tally: Tally) -> dict:
    """A `figures.Tally` as plain data (percentages as decimal strings)."""
    return {
        "total": tally.total,
        "done": tally.done,
        "in_progress": tally.in_progress,
        "delayed": tally.delayed,
        "not_started": tally.not_started,
        "cancelled": tally.cancelled,
        "overdue": tally.overdue,
        "planned_budget": tally.planned_budget,
        "spent": tally.spent,
        "done_percent": str(tally.done_percent),
        "spent_percent": str(tally.spent_percent),
    }


def _activity_rows(scope, filters: Filters, today: datetime.date) -> list[dict]:
    """Every counted activity with its latest state (the figures' `activity_list`) and the
    note of its latest update, ordered by task area, year and start date. Read as plain values:
    a national phase holds tens of thousands of activities."""
    origins = {p.pk: origin_label(p.province) for p in scope.select_related("province")}
    activities = figures.activity_list(scope, filters)
    if filters.progress_day is None:
        activities = activities.annotate(latest_note=F(f"{LATEST_UPDATE}__note"))
    else:
        activities = activities.with_note_as_of(filters.progress_day)
    activities = activities.order_by(
        "task_area__number", "plan__year", "start_date", "pk"
    ).values_list(
        "pk",
        "plan__program_id",
        "plan__year",
        "task_area__number",
        "title",
        "lead_agency__name",
        "start_date",
        "end_date",
        "planned_budget",
        "latest_budget_spent",
        "latest_status",
        "latest_percent",
        "indicator__code",
        "target_value",
        "latest_actual_value",
        "latest_note",
    )
    rows = []
    for (
        pk,
        program_id,
        year,
        area,
        title,
        lead,
        start,
        end,
        planned,
        spent,
        status,
        percent,
        indicator,
        target,
        actual,
        note,
    ) in activities:
        status = status or NOT_STARTED
        rows.append(
            {
                "id": pk,
                "program_id": program_id,
                "year": year,
                "area": area,
                "title": title,
                "lead": lead,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "planned": planned,
                "spent": spent or 0,
                "status": status,
                "percent": percent or 0,
                "indicator": indicator or "",
                "target": _decimal(target),
                "actual": _decimal(actual),
                "note": note or "",
                "overdue": is_overdue(end_date=end, status=status, today=today),
                "origin": origins[program_id],
            }
        )
    return rows


def _areas(program, scope, filters, today, activities: list[dict]) -> list[dict]:
    """Every task area of the program (and any other number the covered programs used), with
    its tally and the activities worth naming."""
    tallies = {
        row.number: row for row in figures.completion_by_task_area(scope, filters, today=today)
    }
    own = list(program.task_areas.all())
    titles = {area.number: area.title for area in own}
    # What each number is nationally: the program's own area, else a covered program's.
    standards = dict(
        TaskArea.objects.filter(program__in=scope.values("pk"))
        .exclude(number__in=titles)
        .values_list("number", "standard_area")
    )
    standards.update((area.number, area.standard_area) for area in own)
    for number, row in tallies.items():
        titles.setdefault(number, row.title)
    areas = []
    for number in sorted(titles):
        mine = [a for a in activities if a["area"] == number]
        done = sorted(
            (a for a in mine if a["status"] == DONE), key=lambda a: (-a["planned"], a["id"])
        )
        lagging = sorted(
            (a for a in mine if a["status"] == DELAYED or a["overdue"]), key=_lagging_order
        )
        tally = tallies[number].tally if number in tallies else Tally()
        areas.append(
            {
                "number": number,
                "title": titles[number],
                "standard": standards.get(number, StandardArea.OTHER),
                "tally": tally_data(tally),
                "notable_done": [a["id"] for a in done[:NOTABLE_DONE]],
                "lagging": [a["id"] for a in lagging[:NOTABLE_LAGGING]],
            }
        )
    return areas


def _by_origin(programs, filters, today) -> list[dict]:
    """The tally per covered program, labelled by the province it was recorded under: listed
    when the report rolls up more than one program or an old province's records."""
    if len(programs) == 1 and not origin_label(programs[0].province):
        return []
    rows = []
    for program in programs:
        tally = figures.activity_totals(program, filters, today=today)
        rows.append(
            {
                "program_id": program.pk,
                "title": program.title,
                "province": program.province.label,
                "origin": origin_label(program.province),
                "tally": tally_data(tally),
                "cooperatives": figures.supported_cooperatives(program, filters).count(),
            }
        )
    return rows


def _indicators(
    scope, kind: str, years: list[int], phase: Phase | None, as_of: datetime.date | None = None
) -> list[dict]:
    """Each indicator with a target for the phase: for an annual review the year's planned and
    achieved value and the phase's value so far; for a phase summary each year's value and the
    phase total. Planned for a year = what the year's activities linked to the indicator aim at,
    combined like the indicator (a sum for 'sum', the largest otherwise)."""
    if phase is None:
        return []
    progress = figures.indicator_progress(scope, Filters(as_of=as_of), year=years[-1])
    planned: dict[tuple[int, int], dict] = {
        (row["indicator_id"], row["plan__year"]): row
        for row in figures.activities_in(scope, Filters(years=tuple(years)))
        .filter(indicator__isnull=False, target_value__isnull=False)
        .values("indicator_id", "plan__year")
        .annotate(total=Sum("target_value"), largest=Max("target_value"))
        .order_by()
    }
    origins = {p.pk: origin_label(p.province) for p in scope.select_related("province")}
    rows = []
    for item in progress:
        last = years[-1]
        yearly = [(y, v) for y, v in item.yearly if y <= last]
        so_far = figures.combine_years(item.aggregation, yearly)
        row = {
            "program_id": item.program_id,
            "origin": origins.get(item.program_id, ""),
            "code": item.code,
            "name": item.name,
            "unit": item.unit,
            "aggregation": item.aggregation,
            "target": item.target_display,
            "target_min": _decimal(item.target_min),
            "target_max": _decimal(item.target_max),
            "yearly": [[y, _decimal(v)] for y, v in yearly],
            "achieved": _decimal(so_far),
            "percent": str(figures.percent(so_far or 0, item.target_min)),
            "met": so_far is not None and so_far >= item.target_min,
        }
        if kind in YEARLY:
            plan = planned.get((item.indicator_id, last))
            if plan is None:
                row["year_target"] = None
            else:
                value = plan["total"] if item.aggregation == "sum" else plan["largest"]
                row["year_target"] = _decimal(Decimal(value))
            row["year_value"] = _decimal(dict(item.yearly).get(last))
        rows.append(row)
    return rows


def _cooperatives(scope, filters: Filters) -> dict:
    """The cooperatives summary (figures) and the list for the appendix, by province and then
    by name. Names are ordered by their stored search key (tone marks and đ folded), which
    keeps a national list of tens of thousands fast to sort."""
    summary = figures.cooperatives_supported(scope, filters)
    labels = {p.pk: p.label for p in Province.objects.all()}
    fields = [
        "pk",
        "registration_code",
        "name",
        "province_id",
        "province_as_written",
        "district",
        "commune",
        "sector",
        "members",
        "ethnic_minority_members",
        "ocop_stars",
        "rating",
    ]
    rows = [
        {
            "id": pk,
            "code": code,
            "name": name,
            "province": labels[province_id],
            "as_written": as_written,
            "district": district,
            "commune": commune,
            "sector": sector,
            "members": members,
            "ethnic_minority_members": ethnic,
            "ocop_stars": ocop,
            "rating": rating,
        }
        for (
            pk,
            code,
            name,
            province_id,
            as_written,
            district,
            commune,
            sector,
            members,
            ethnic,
            ocop,
            rating,
        ) in figures.supported_cooperatives(scope, filters)
        .order_by("search_key", "registration_code")
        .values_list(*fields)
    ]
    province_order = {label: vi_sort_key(label) for label in {r["province"] for r in rows}}
    rows.sort(key=lambda r: province_order[r["province"]])  # stable: names stay in order
    return {
        "total": summary.total,
        "members": summary.members,
        "ethnic_minority_members": summary.ethnic_minority_members,
        "ethnic_minority_share": str(summary.ethnic_minority_share),
        "by_sector": [[sector, n] for sector, n in summary.by_sector],
        "by_ocop": [[stars, n] for stars, n in summary.by_ocop],
        "by_province": [[row.label, row.cooperatives] for row in summary.by_province],
        "rows": rows,
    }


def _commendations(programs: list[Program], years: list[int]) -> list[dict]:
    items = (
        Commendation.objects.filter(program__in=[p.pk for p in programs], year__in=years)
        .select_related("cooperative", "agency")
        .order_by("year", "decision_date", "pk")
    )
    return [
        {
            "id": item.pk,
            "program_id": item.program_id,
            "year": item.year,
            "recipient": item.recipient_label,
            "recipient_kind": item.recipient_kind,
            "form": item.form,
            "authority": item.authority,
            "decision_number": item.decision_number,
            "decision_date": item.decision_date.isoformat(),
            "reason": item.reason,
        }
        for item in items
    ]


def _decimal(value) -> str | None:
    """A decimal as a plain string without trailing zeros ('2', '2.5'); None stays None."""
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


def activities_by_id(data: dict) -> dict[int, dict]:
    """The snapshot's activity rows by id (areas name their notable activities by id)."""
    return {row["id"]: row for row in data["activities"]}


def lagging_activities(data: dict) -> list[dict]:
    """Delayed or overdue activities of the whole report: delayed first, then overdue ones that
    were started, then those never started, each by end date."""
    return sorted(
        (a for a in data["activities"] if a["status"] == DELAYED or a["overdue"]),
        key=_lagging_order,
    )


def _lagging_order(activity: dict) -> tuple:
    return (
        activity["status"] != DELAYED,
        activity["status"] == NOT_STARTED,
        activity["end"],
        activity["id"],
    )


def unmet_indicators(data: dict) -> list[dict]:
    return [row for row in data["indicators"] if not row["met"]]
