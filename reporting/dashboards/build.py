"""Whole dashboards: the overview of the programs a reader may see and one program's dashboard,
built from `reporting.figures` as key figures and tables. Views render them or write one table
as `.xlsx`; nothing here touches the request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Province
from coordination.models import Program
from core.formatting import number
from reporting import figures
from reporting.figures import DONE, Filters, Tally
from reporting.figures.provinces import Units

from .figure_tables import (
    area_table,
    budget_table,
    commune_table,
    cooperative_tables,
    indicator_table,
    overdue_table,
    plan_state_table,
    plan_table,
    province_table,
    trend_table,
)
from .links import activities_url, cooperatives_url
from .tables import NUMBER, Table


@dataclass
class Kpi:
    label: str
    value: object
    kind: str = NUMBER
    url: str = ""
    note: str = ""


@dataclass
class Dashboard:
    title: str
    filters: Filters
    plan_year: int
    kpis: list[Kpi] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    program: Program | None = None
    # When the figures were computed (a cached dashboard may be up to a minute old).
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    def add(self, table: Table) -> Table:
        self.tables[table.key] = table
        return table


def in_unit(amount: int) -> tuple[Decimal | int, str]:
    """An amount in đồng written in the unit its size calls for: tỷ đồng from one billion,
    triệu đồng from 100.000 (one decimal), đồng below; a non-zero amount never shows as 0."""
    if amount >= 1_000_000_000:
        return (Decimal(amount) / 1_000_000_000).quantize(Decimal("0.1")), _("tỷ đồng")
    if amount >= 100_000:
        return (Decimal(amount) / 1_000_000).quantize(Decimal("0.1")), _("triệu đồng")
    return amount, _("đồng")


def _money_kpi(label: str, amount: int, url: str, note: str = "") -> Kpi:
    value, unit = in_unit(amount)
    return Kpi(f"{label} ({unit})", value, NUMBER, url, note=note)


def _kpis(filters: Filters, totals: Tally, coops: figures.CooperativeSummary) -> list[Kpi]:
    return [
        Kpi(_("Hoạt động"), totals.total, NUMBER, activities_url(filters)),
        Kpi(
            _("Hoàn thành"),
            totals.done,
            NUMBER,
            activities_url(filters, status=DONE),
            note=f"{number(totals.done_percent)}%",
        ),
        Kpi(_("Quá hạn"), totals.overdue, NUMBER, activities_url(filters, overdue="1")),
        _money_kpi(_("Kinh phí dự kiến"), totals.planned_budget, activities_url(filters)),
        _money_kpi(
            _("Kinh phí đã sử dụng"),
            totals.spent,
            activities_url(filters),
            note=f"{number(totals.spent_percent)}%",
        ),
        Kpi(
            _("HTX được hỗ trợ"),
            coops.total,
            NUMBER,
            cooperatives_url(filters),
            note=_("%(share)s%% thành viên là người DTTS")
            % {"share": number(coops.ethnic_minority_share)},
        ),
    ]


def overview(
    programs: QuerySet,
    filters: Filters,
    *,
    provinces: list[int],
    today: datetime.date,
    units: Units | None = None,
) -> Dashboard:
    """Everything a manager sees for the programs they may read. `units`: the provinces, if
    the caller has loaded them (`Units.load()`); else loaded here, once for every figure."""
    units = units or Units.load()
    plan_year = filters.years[0] if len(filters.years) == 1 else today.year
    dashboard = Dashboard(title=_("Tổng quan"), filters=filters, plan_year=plan_year)
    shown_provinces = [filters.province_id] if filters.province_id else provinces
    plans = figures.plan_status_by_province(
        programs, year=plan_year, filters=filters, provinces=shown_provinces, units=units
    )
    breakdown = figures.activity_breakdown(
        programs, filters, provinces=shown_provinces, today=today, units=units
    )
    areas, by_province, totals = breakdown.areas, breakdown.provinces, breakdown.totals
    coops = figures.cooperatives_supported(programs, filters, units=units)
    dashboard.kpis = _kpis(filters, totals, coops)
    dashboard.add(plan_state_table(plans, plan_year))
    dashboard.add(plan_table(filters, plans, plan_year))
    dashboard.add(area_table(filters, areas))
    dashboard.add(budget_table(filters, areas))
    dashboard.add(province_table(filters, by_province, plans, plan_year))
    for table in cooperative_tables(filters, coops):
        dashboard.add(table)
    overdue = list(
        figures.overdue_activities(programs, filters, today=today, first=10).select_related(
            "plan__program"
        )[:10]
    )
    dashboard.add(overdue_table(filters, overdue))
    dashboard.add(
        indicator_table(filters, figures.indicator_progress(programs, filters, year=plan_year))
    )
    _add_commune_table(dashboard, programs, filters, shown_provinces)
    return dashboard


def program_dashboard(program: Program, filters: Filters, *, today: datetime.date) -> Dashboard:
    """One program across its years and phases, with the year-by-year trend."""
    filters = filters.but(program_id=program.pk)
    plan_year = filters.years[0] if len(filters.years) == 1 else today.year
    dashboard = Dashboard(
        title=program.title, filters=filters, plan_year=plan_year, program=program
    )
    areas = figures.completion_by_task_area(program, filters, today=today)
    totals = sum((row.tally for row in areas), Tally())
    coops = figures.cooperatives_supported(program, filters)
    dashboard.kpis = _kpis(filters, totals, coops)
    dashboard.add(trend_table(filters, figures.yearly_trend(program, filters, today=today), True))
    dashboard.add(area_table(filters, areas))
    dashboard.add(budget_table(filters, areas))
    dashboard.add(
        indicator_table(filters, figures.indicator_progress(program, filters, year=plan_year))
    )
    for table in cooperative_tables(filters, coops):
        dashboard.add(table)
    overdue = list(
        figures.overdue_activities(program, filters, today=today, first=10).select_related(
            "plan__program"
        )[:10]
    )
    dashboard.add(overdue_table(filters, overdue))
    if program.province_id:
        _add_commune_table(dashboard, program, filters, [program.province.current_unit().pk])
    return dashboard


def _add_commune_table(dashboard: Dashboard, scope, filters: Filters, shown: list[int]) -> None:
    """The cooperatives by commune when the dashboard shows one province (issue 15)."""
    if len(shown) != 1 or shown[0] in (None, figures.NATIONAL):
        return
    province = Province.objects.get(pk=shown[0])
    rows = figures.cooperatives_by_commune(scope, filters, province=province)
    dashboard.add(commune_table(filters, rows, province))
