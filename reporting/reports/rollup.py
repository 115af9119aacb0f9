"""Provincial reports rolled up into the national one (issue 16).

A provincial program may carry out a national one (`Program.national_program`). When a province
finalises its sơ kết or tổng kết, the report is *sent up*: the national program's people see it
on the national program's received-reports page, and the national report of the same period
compiles it.

What the national report compiles is each province's **finalised** report as it was frozen
(its snapshot, `Report.data`), never live figures: the newest finalised version when the national
version was generated or refreshed. A province's later version therefore changes nothing in a
finalised national report; the national report's next version picks it up.

The same period: the annual review of the same year; for a phase summary, the provincial phase
that contains the national phase's last year (Quảng Ngãi's 2022–2025 under 2021–2025).

Who is expected: every provincial program carrying out the national one that runs during the
period. A program whose records a finalised report of another program already covers (old
Kiên Giang's program inside new An Giang's 2025 review, `snapshot.covered_programs`) is shown as
included there, neither counted twice nor missing. Rows of old provinces keep their label
('Kiên Giang (cũ)') and sort under the province that carries them on.

How figures combine (docs/decisions.md): activity counts and budgets add up; task areas add
up under their standard area (`TaskArea.standard_area`, never by number); cooperatives count
once each, however many provinces supported them; an indicator matches across provinces by
its name and unit (tone marks and case folded) and combines by its rule: 'sum' and 'latest'
add the provinces' values (a year's flow and a level at the end of the period both add across
places), 'max' takes the largest province's value.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Province
from coordination.models import Indicator, Phase, Program, StandardArea, TaskArea
from core.text import search_key, vi_sort_key
from reporting import figures
from reporting.figures.provinces import Units
from reporting.figures.tally import TALLY_FIELDS

from .models import Report
from .notices import report_deadline

ANNUAL, PHASE, HALF = Report.Kind.ANNUAL, Report.Kind.PHASE, Report.Kind.HALF
# The provinces' own words the national report's narrative starts from.
KEY_POINTS = ("achievements", "limitations", "proposals")
KEY_LINES = 4
TALLY_COUNTS = ("total", *TALLY_FIELDS)


class State:
    """Where a province's report of the period stands, as the received list says it."""

    FINALISED = "finalised"
    DRAFT = "draft"
    NOT_STARTED = "not_started"
    INCLUDED = "included"  # its records are in another province's finalised report


STATE_LABELS = {
    State.FINALISED: gettext_lazy("Đã báo cáo"),
    State.DRAFT: gettext_lazy("Chưa báo cáo (đang dự thảo)"),
    State.NOT_STARTED: gettext_lazy("Chưa báo cáo"),
    State.INCLUDED: gettext_lazy("Gộp trong báo cáo của tỉnh kế thừa"),
}


@dataclass
class Received:
    """One provincial program of the period and its report as sent up (if it was)."""

    program: Program
    report: Report | None  # the newest finalised version, or None
    draft: Report | None  # a newer draft version, if any
    deadline: datetime.date | None
    current_province: Province  # the unit carrying the program's province on today
    included_in: Program | None = None

    @property
    def state(self) -> str:
        if self.included_in is not None:
            return State.INCLUDED
        if self.report is not None:
            return State.FINALISED
        return State.DRAFT if self.draft is not None else State.NOT_STARTED

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def late(self) -> bool:
        """Finalised after the period's deadline (when a deadline is known)."""
        if self.report is None or self.deadline is None:
            return False
        return timezone.localdate(self.report.finalised_at) > self.deadline

    @property
    def province_label(self) -> str:
        return self.program.province.label


def period_reports(*, kind: str, year: int | None = None, phase: Phase | None = None) -> Q:
    """The condition on `Report` selecting the provincial reports of the national period."""
    if kind == ANNUAL:
        return Q(kind=ANNUAL, year=year)
    return Q(kind=PHASE, phase__start_year__lte=phase.end_year, phase__end_year__gte=phase.end_year)


def received_reports(
    national: Program,
    *,
    kind: str,
    year: int | None = None,
    phase: Phase | None = None,
) -> list[Received]:
    """Every provincial program carrying out `national` during the period, with its newest
    finalised report of the period and a newer draft if any, ordered by the current province
    (old units under the one carrying them on) and program. An annual review finalised after
    its program's deadline (`notices.report_deadline`) is late; a phase summary has no
    deadline yet."""
    first, last = (year, year) if kind == ANNUAL else (phase.start_year, phase.end_year)
    programs = list(
        national.provincial_programs.filter(start_year__lte=last, end_year__gte=first)
        .select_related("province")
        .order_by("pk")
    )
    reports = (
        Report.objects.filter(program__in=[p.pk for p in programs])
        .filter(period_reports(kind=kind, year=year, phase=phase))
        .select_related("phase")
        .order_by("program_id", "-version")
    )
    finalised: dict[int, Report] = {}
    drafts: dict[int, Report] = {}
    for report in reports:
        if report.is_draft:
            drafts.setdefault(report.program_id, report)
        else:
            finalised.setdefault(report.program_id, report)
    units = Units.load()
    rows = []
    for program in programs:
        report = finalised.get(program.pk)
        draft = drafts.get(program.pk)
        if draft is not None and report is not None and draft.version < report.version:
            draft = None
        # A review's deadline follows the program's reporting calendar; a phase summary has none.
        deadline = report_deadline(program=program, year=year, kind=kind) if kind != PHASE else None
        current = units.units[units.current_of[program.province_id]]
        rows.append(
            Received(
                program=program,
                report=report,
                draft=draft,
                deadline=deadline,
                current_province=current,
            )
        )
    by_id = {row.program.pk: row for row in rows}
    # Programs of one current unit and the same agencies cover each other's records; the
    # current unit's newest program counts, the others are included in it (never each other).
    for row in sorted(
        rows, key=lambda r: (not r.program.province.is_current, -r.program.start_year, r.program.pk)
    ):
        if row.report is None or row.included_in is not None:
            continue
        for covered in row.report.data.get("programs", []):
            other = by_id.get(covered["id"])
            if other is not None and other is not row and other.included_in is None:
                other.included_in = row.program
    rows.sort(
        key=lambda r: (
            vi_sort_key(r.current_province.name),
            not r.program.province.is_current,
            vi_sort_key(r.program.title),
        )
    )
    return rows


def compile_rollup(
    national: Program,
    *,
    kind: str,
    year: int | None = None,
    phase: Phase | None = None,
) -> dict:
    """The compiled part of the national report (plain data, stored in its snapshot under
    'rollup'): the received list, and the figures of the finalised provincial snapshots
    combined as the module docstring says."""
    rows = received_reports(national, kind=kind, year=year, phase=phase)
    counted = [r for r in rows if r.state == State.FINALISED]
    snapshots = [(r, r.report.data) for r in counted]
    standard = _standard_areas(snapshots)
    totals = _sum_tallies(data["totals"] for _row, data in snapshots)
    areas: dict[int, list[dict]] = defaultdict(list)
    by_province = []
    for row, data in snapshots:
        program_id = data["program"]["id"]
        for area in data["areas"]:
            number = area.get("standard")
            if number is None:
                number = standard.get((program_id, area["number"]), StandardArea.OTHER)
            areas[number].append(area["tally"])
        by_province.append(
            {
                "program_id": row.program.pk,
                "province": row.province_label,
                "tally": _sum_tallies([data["totals"]]),
                "cooperatives": data["cooperatives"]["total"],
            }
        )
    labels = dict(StandardArea.choices)
    return {
        "provinces": [_province_row(row) for row in rows],
        "missing": [
            row.province_label for row in rows if row.state in (State.DRAFT, State.NOT_STARTED)
        ],
        "late": [row.province_label for row in counted if row.late],
        "totals": totals,
        "areas": [
            {"standard": n, "title": str(labels[n]), "tally": _sum_tallies(areas[n])}
            for n in sorted(areas, key=lambda n: (n == StandardArea.OTHER, n))
        ],
        "by_province": by_province,
        "indicators": _indicators(snapshots, kind),
        "cooperatives": _cooperatives(snapshots),
        "key_points": {
            key: [
                [row.province_label, key_points(getattr(row.report, key))]
                for row in counted
                if getattr(row.report, key).strip()
            ]
            for key in KEY_POINTS
        },
    }


def key_points(text: str) -> str:
    """A province's section cut to its first KEY_LINES lines (the rest is in its own report,
    linked from the national one): 34 provinces' full sections would bury the point."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) <= KEY_LINES:
        return "\n".join(lines)
    return "\n".join([*lines[:KEY_LINES], _("(… xem báo cáo của tỉnh)")])


def _province_row(row: Received) -> dict:
    report = row.report or row.draft
    return {
        "program_id": row.program.pk,
        "title": row.program.title,
        "province": row.province_label,
        "current_province": row.current_province.name,
        "state": row.state,
        "report_id": report.pk if report else None,
        "version": report.version if report else None,
        "finalised_at": (
            timezone.localtime(row.report.finalised_at).isoformat() if row.report else None
        ),
        "late": row.late,
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "included_in": row.included_in.title if row.included_in else "",
    }


def _standard_areas(snapshots) -> dict[tuple[int, int], int]:
    """(program id, task area number) → standard area, for snapshots made before they said so
    themselves (one query for them all)."""
    if all("standard" in a for _row, data in snapshots for a in data["areas"]):
        return {}
    ids = {data["program"]["id"] for _row, data in snapshots}
    return {
        (program_id, number): standard
        for program_id, number, standard in TaskArea.objects.filter(program_id__in=ids).values_list(
            "program_id", "number", "standard_area"
        )
    }


def _sum_tallies(tallies) -> dict:
    """Tallies (snapshot form) added up, with their percentages computed again."""
    total = dict.fromkeys(TALLY_COUNTS, 0)
    for tally in tallies:
        for key in TALLY_COUNTS:
            total[key] += tally[key]
    total["done_percent"] = str(figures.percent(total["done"], total["total"]))
    total["spent_percent"] = str(figures.percent(total["spent"], total["planned_budget"]))
    return total


def _indicators(snapshots, kind: str) -> list[dict]:
    """Indicators matched across provinces by name and unit, combined by their rule."""
    groups: dict[tuple, dict] = {}
    for row, data in snapshots:
        for item in data["indicators"]:
            value = item.get("year_value") if kind == ANNUAL else item["achieved"]
            key = (search_key(item["name"]), search_key(item["unit"]), item["aggregation"])
            group = groups.setdefault(
                key,
                {
                    "name": item["name"],
                    "unit": item["unit"],
                    "aggregation": item["aggregation"],
                    "values": [],
                },
            )
            if value is not None:
                group["values"].append([row.province_label, value])
    rows = []
    for group in groups.values():
        values = [Decimal(v) for _p, v in group["values"]]
        combined = combine_provinces(group["aggregation"], values)
        rows.append(
            {
                "name": group["name"],
                "unit": group["unit"],
                "aggregation": group["aggregation"],
                "value": _plain(combined),
                "provinces": group["values"],
            }
        )
    rows.sort(key=lambda r: vi_sort_key(r["name"]))
    return rows


def combine_provinces(aggregation: str, values: list[Decimal]) -> Decimal | None:
    """Provinces' values of one indicator combined by its rule: 'max' takes the largest,
    'sum' and 'latest' add up (see the module docstring); None when no province reported."""
    if not values:
        return None
    if aggregation == Indicator.Aggregation.MAXIMUM:
        return max(values)
    return sum(values, Decimal(0))


def _cooperatives(snapshots) -> dict:
    """Distinct cooperatives supported across the provincial reports, by sector and province."""
    seen: dict[int, dict] = {}
    for _row, data in snapshots:
        for coop in data["cooperatives"]["rows"]:
            seen.setdefault(coop["id"], coop)
    by_sector: dict[str, int] = defaultdict(int)
    by_province: dict[str, int] = defaultdict(int)
    for coop in seen.values():
        by_sector[coop["sector"]] += 1
        by_province[coop["province"]] += 1
    members = sum(c["members"] or 0 for c in seen.values())
    ethnic = sum(c["ethnic_minority_members"] or 0 for c in seen.values())
    return {
        "total": len(seen),
        "members": members,
        "ethnic_minority_members": ethnic,
        "ethnic_minority_share": str(figures.percent(ethnic, members)),
        "by_sector": sorted(by_sector.items(), key=lambda kv: (-kv[1], kv[0])),
        "by_province": sorted(by_province.items(), key=lambda kv: vi_sort_key(kv[0])),
    }


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@dataclass
class ReceivedPeriod:
    """One period of the national program with the provinces' reports of it."""

    kind: str
    year: int | None
    phase: Phase | None
    rows: list[Received]

    @property
    def title(self) -> str:
        return Report(kind=self.kind, year=self.year, phase=self.phase).title

    @property
    def received(self) -> int:
        return sum(1 for row in self.rows if row.state == State.FINALISED)

    @property
    def expected(self) -> int:
        return sum(1 for row in self.rows if row.state != State.INCLUDED)


def received_periods(national: Program) -> list[ReceivedPeriod]:
    """The periods of `national` for which at least one province has sent up a report, newest
    first (annual reviews by year, then phase summaries), each with every provincial program
    expected to report and where its report stands."""
    sent = Report.objects.filter(program__national_program=national, status=Report.Status.FINALISED)
    years = sorted(set(sent.filter(kind=ANNUAL).values_list("year", flat=True)), reverse=True)
    ends = set(sent.filter(kind=PHASE).values_list("phase__end_year", flat=True))
    phases = [
        p
        for p in national.phases.order_by("-start_year")
        if any(p.start_year <= end <= p.end_year for end in ends)
    ]
    periods = [
        ReceivedPeriod(ANNUAL, year, None, received_reports(national, kind=ANNUAL, year=year))
        for year in years
    ]
    periods += [
        ReceivedPeriod(PHASE, None, phase, received_reports(national, kind=PHASE, phase=phase))
        for phase in phases
    ]
    return periods
