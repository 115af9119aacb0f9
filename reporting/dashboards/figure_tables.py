"""Each figure of `reporting.figures` as a dashboard `Table`: typed columns, the link behind
every number (to the list of what it counts) and the chart drawn from the same rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.models import Indicator, ProgressUpdate, YearlyPlan
from reporting import figures
from reporting.figures import DONE, STATUSES, Filters, Tally

from .charts import STATE_COLOURS, STATUS_COLOURS, bar_chart, doughnut_chart
from .links import activities_url, cooperatives_url, link_maker, plans_url
from .tables import MONEY, NUMBER, PERCENT, TEXT, Cell, Column, Table

STATUS_LABELS = dict(ProgressUpdate.Status.choices)
PLAN_LABELS = dict(YearlyPlan.Status.choices)
AGGREGATION_LABELS = dict(Indicator.Aggregation.choices)


def _status_cells(filters: Filters, tally: Tally) -> list[Cell]:
    return [
        Cell(tally.count(status), activities_url(filters, status=status)) for status in STATUSES
    ]


def _area_filters(filters: Filters, row: figures.AreaRow) -> Filters:
    """The filters of the list behind an area's numbers: its standard area, or its number."""
    if row.standard:
        return filters.but(standard_area=row.number)
    return filters.but(task_area=row.number)


def area_table(filters: Filters, rows: list[figures.AreaRow]) -> Table:
    table = Table(
        key="areas",
        title=_("Tiến độ hoạt động theo nội dung phối hợp"),
        columns=[Column(_("Nội dung phối hợp"))]
        + [Column(str(STATUS_LABELS[s]), NUMBER) for s in STATUSES]
        + [
            Column(_("Tổng số"), NUMBER),
            Column(_("Tỷ lệ hoàn thành (%)"), PERCENT),
            Column(_("Quá hạn"), NUMBER),
        ],
        note=_(
            "Trạng thái của một hoạt động là trạng thái trong lần cập nhật tiến độ gần nhất; "
            "chưa cập nhật lần nào được tính là chưa thực hiện."
        ),
    )
    total = Tally()
    for row in rows:
        narrowed = _area_filters(filters, row)
        table.add(
            Cell(row.label),
            *_status_cells(narrowed, row.tally),
            Cell(row.tally.total, activities_url(narrowed)),
            Cell(row.tally.done_percent),
            Cell(row.tally.overdue, activities_url(narrowed, overdue="1")),
        )
        total += row.tally
    table.set_footer(
        Cell(_("Cộng")),
        *_status_cells(filters, total),
        Cell(total.total, activities_url(filters)),
        Cell(total.done_percent),
        Cell(total.overdue, activities_url(filters, overdue="1")),
    )
    table.chart = bar_chart(
        table,
        [(i + 1, STATUS_COLOURS[s]) for i, s in enumerate(STATUSES)],
        stacked=True,
        horizontal=True,
    )
    return table


def budget_table(filters: Filters, rows: list[figures.AreaRow]) -> Table:
    table = Table(
        key="budget",
        title=_("Kinh phí dự kiến và đã sử dụng theo nội dung phối hợp"),
        columns=[
            Column(_("Nội dung phối hợp")),
            Column(_("Kinh phí dự kiến (đồng)"), MONEY),
            Column(_("Kinh phí đã sử dụng (đồng)"), MONEY),
            Column(_("Tỷ lệ sử dụng (%)"), PERCENT),
        ],
        note=_("Kinh phí đã sử dụng của một hoạt động là số lũy kế trong lần cập nhật gần nhất."),
    )
    total = Tally()
    for row in rows:
        url = activities_url(_area_filters(filters, row))
        table.add(
            Cell(row.label),
            Cell(row.tally.planned_budget, url),
            Cell(row.tally.spent, url),
            Cell(row.tally.spent_percent),
        )
        total += row.tally
    url = activities_url(filters)
    table.set_footer(
        Cell(_("Cộng")),
        Cell(total.planned_budget, url),
        Cell(total.spent, url),
        Cell(total.spent_percent),
    )
    table.chart = bar_chart(table, [(1, "#9aa5b1"), (2, "#9c1c1c")], horizontal=True)
    return table


def province_table(
    filters: Filters,
    rows: list[figures.ProvinceRow],
    plans: list[figures.PlanRow],
    plan_year: int,
) -> Table:
    states = {p.province_id: p for p in plans}
    table = Table(
        key="provinces",
        title=_("Theo tỉnh, thành phố (34 đơn vị hiện nay)"),
        columns=[
            Column(_("Tỉnh, thành phố")),
            Column(_("Hoạt động"), NUMBER),
            Column(_("Hoàn thành"), NUMBER),
            Column(_("Tỷ lệ hoàn thành (%)"), PERCENT),
            Column(_("Quá hạn"), NUMBER),
            Column(_("Kinh phí dự kiến (đồng)"), MONEY),
            Column(_("Kinh phí đã sử dụng (đồng)"), MONEY),
            Column(_("HTX được hỗ trợ"), NUMBER),
            Column(_("Kế hoạch năm %(year)s") % {"year": plan_year}),
        ],
        note=_(
            "Số liệu ghi nhận dưới tỉnh cũ (trước 01/7/2025) được cộng vào tỉnh, thành phố "
            "kế thừa hiện nay."
        ),
    )
    activities_link, cooperatives_link = link_maker("activities"), link_maker("cooperatives")
    plans_link = link_maker("plans")
    for row in rows:
        narrowed = filters.but(province_id=_province_key(row.province_id))
        plan = states.get(row.province_id)
        table.add(
            Cell(row.label),
            Cell(row.tally.total, activities_link(narrowed)),
            Cell(row.tally.done, activities_link(narrowed, status=DONE)),
            Cell(row.tally.done_percent),
            Cell(row.tally.overdue, activities_link(narrowed, overdue="1")),
            Cell(row.tally.planned_budget),
            Cell(row.tally.spent),
            Cell(row.cooperatives, cooperatives_link(narrowed)),
            Cell(
                plan_state_label(plan.state) if plan else "",
                plans_link(narrowed.but(years=(plan_year,))),
                css=plan.state if plan else "",
            ),
        )
    table.chart = bar_chart(table, [(3, "#1f7a3d")], percent=True)
    return table


def _province_key(province_id: int | None) -> int:
    """The province filter value of a row: its unit, or NATIONAL for the 'Trung ương' row."""
    return figures.NATIONAL if province_id is None else province_id


PLAN_STATE_LABELS = {
    "no_program": gettext_lazy("Chưa có chương trình"),
    "not_submitted": gettext_lazy("Chưa trình kế hoạch"),
    "not_approved": gettext_lazy("Chờ phê duyệt"),
    "approved": gettext_lazy("Đã phê duyệt"),
}


def plan_state_label(state: str) -> str:
    return str(PLAN_STATE_LABELS[state])


def plan_table(filters: Filters, rows: list[figures.PlanRow], year: int) -> Table:
    table = Table(
        key="plans",
        title=_("Kế hoạch năm %(year)s theo tỉnh, thành phố") % {"year": year},
        columns=[
            Column(_("Tỉnh, thành phố")),
            Column(_("Chương trình"), NUMBER),
            Column(_("Chưa có kế hoạch"), NUMBER),
            Column(str(PLAN_LABELS["draft"]), NUMBER),
            Column(str(PLAN_LABELS["submitted"]), NUMBER),
            Column(str(PLAN_LABELS["approved"]), NUMBER),
            Column(_("Tình trạng")),
        ],
    )
    year_filters = filters.but(years=(year,))
    plans_link = link_maker("plans")
    totals = dict.fromkeys(["programs", "missing", "draft", "submitted", "approved"], 0)
    for row in rows:
        narrowed = year_filters.but(province_id=_province_key(row.province_id))
        table.add(
            Cell(row.label),
            Cell(row.programs, plans_link(narrowed)),
            Cell(row.missing, plans_link(narrowed, status="missing")),
            Cell(row.draft, plans_link(narrowed, status="draft")),
            Cell(row.submitted, plans_link(narrowed, status="submitted")),
            Cell(row.approved, plans_link(narrowed, status="approved")),
            Cell(plan_state_label(row.state), css=row.state),
        )
        for key in totals:
            totals[key] += getattr(row, key)
    table.set_footer(
        Cell(_("Cộng")),
        Cell(totals["programs"]),
        Cell(totals["missing"], plans_link(year_filters, status="missing")),
        Cell(totals["draft"], plans_link(year_filters, status="draft")),
        Cell(totals["submitted"], plans_link(year_filters, status="submitted")),
        Cell(totals["approved"], plans_link(year_filters, status="approved")),
        Cell(""),
    )
    return table


def plan_state_table(rows: list[figures.PlanRow], year: int) -> Table:
    """How many provinces are in each state for the year's plan, and which ones."""
    table = Table(
        key="plan_states",
        title=_("Tình trạng kế hoạch năm %(year)s của các tỉnh, thành phố") % {"year": year},
        columns=[
            Column(_("Tình trạng")),
            Column(_("Số tỉnh, thành phố"), NUMBER),
            Column(_("Tỉnh, thành phố")),
        ],
    )
    provinces = [row for row in rows if row.province_id is not None]
    states = [state for state in STATE_COLOURS if any(r.state == state for r in provinces)]
    for state in states:
        names = [r.label for r in provinces if r.state == state]
        table.add(
            Cell(plan_state_label(state), css=state), Cell(len(names)), Cell(", ".join(names))
        )
    table.chart = doughnut_chart(table, 1, [STATE_COLOURS[state] for state in states])
    return table


def indicator_table(filters: Filters, rows: list[figures.IndicatorProgress]) -> Table:
    years = sorted({year for row in rows for year, _value in row.yearly})
    several = len({row.program_id for row in rows}) > 1
    table = Table(
        key="indicators",
        title=_("Chỉ số của giai đoạn: chỉ tiêu và kết quả đạt được"),
        columns=([Column(_("Chương trình"))] if several else [])
        + [
            Column(_("Chỉ số")),
            Column(_("Đơn vị tính")),
            Column(_("Cách tổng hợp")),
            Column(_("Chỉ tiêu giai đoạn")),
        ]
        + [Column(str(year), NUMBER) for year in years]
        + [Column(_("Đạt được"), NUMBER), Column(_("Tỷ lệ so với chỉ tiêu (%)"), PERCENT)],
        note=_(
            "Kết quả của một hoạt động là giá trị trong lần cập nhật gần nhất; giá trị một năm "
            "là tổng các hoạt động của năm đó; các năm được tổng hợp theo cách của từng chỉ số."
        ),
    )
    base = filters.but(years=(), program_id=None)
    activities_link = link_maker("activities")
    aggregations = {key: str(label) for key, label in AGGREGATION_LABELS.items()}
    # 175 indicators on a national overview: each filter set made once, not once per cell.
    by_year = {year: base.but(years=(year,)) for year in years}
    by_phase = {n: base.but(phase=n) for n in {row.phase_number for row in rows}}
    for row in rows:
        values = dict(row.yearly)
        phase_filters = by_phase[row.phase_number]
        cells = [Cell(row.program_title)] if several else []
        cells += [
            Cell(f"{row.code}. {row.name}"),
            Cell(row.unit),
            Cell(aggregations.get(row.aggregation, row.aggregation)),
            Cell(row.target_display),
        ]
        for year in years:
            if year in values and values[year] is not None:
                cells.append(
                    Cell(
                        values[year],
                        activities_link(by_year[year], indicator=row.indicator_id),
                    )
                )
            else:
                cells.append(Cell(None))
        cells.append(
            Cell(
                row.achieved,
                activities_link(phase_filters, indicator=row.indicator_id),
                css="met" if row.met else "",
            )
        )
        cells.append(Cell(row.percent))
        table.add(*cells)
    if rows and len(rows) <= 15:
        table.chart = bar_chart(
            table,
            [(len(table.columns) - 1, "#0b57a4")],
            horizontal=True,
            percent=True,
            label_column=1 if several else 0,
        )
    return table


def cooperative_tables(
    filters: Filters, summary: figures.CooperativeSummary
) -> tuple[Table, Table]:
    sectors = Table(
        key="sectors",
        title=_("HTX được hỗ trợ theo ngành nghề"),
        columns=[Column(_("Ngành nghề")), Column(_("Số HTX"), NUMBER)],
    )
    for sector, count in summary.by_sector:
        sectors.add(
            Cell(sector or _("Chưa ghi ngành nghề")),
            Cell(count, cooperatives_url(filters, sector=sector or "-")),
        )
    sectors.set_footer(Cell(_("Cộng")), Cell(summary.total, cooperatives_url(filters)))
    sectors.chart = bar_chart(sectors, [(1, "#0b57a4")], horizontal=True)
    ocop = Table(
        key="ocop",
        title=_("HTX được hỗ trợ theo xếp hạng OCOP"),
        columns=[Column(_("OCOP")), Column(_("Số HTX"), NUMBER)],
    )
    for stars, count in summary.by_ocop:
        label = _("%(stars)s sao") % {"stars": stars} if stars else _("Chưa có OCOP")
        ocop.add(Cell(label), Cell(count, cooperatives_url(filters, ocop=stars or "0")))
    ocop.set_footer(Cell(_("Cộng")), Cell(summary.total, cooperatives_url(filters)))
    palette = {5: "#7a4b00", 4: "#c98a00", 3: "#f0c75e", None: "#d8dee6"}
    ocop.chart = doughnut_chart(
        ocop, 1, [palette.get(stars, "#9aa5b1") for stars, _n in summary.by_ocop]
    )
    return sectors, ocop


def overdue_table(filters: Filters, activities: list) -> Table:
    table = Table(
        key="overdue",
        title=_("Hoạt động quá hạn lâu nhất"),
        columns=[
            Column(_("Hoạt động")),
            Column(_("Chương trình")),
            Column(_("Năm"), TEXT),
            Column(_("Ngày kết thúc")),
            Column(_("Trạng thái")),
        ],
    )
    for activity in activities:
        status = activity.latest_status or figures.NOT_STARTED
        table.add(
            Cell(activity.title, reverse("coordination:plan_detail", args=[activity.plan_id])),
            Cell(activity.plan.program.title),
            Cell(str(activity.plan.year)),
            Cell(activity.end_date.strftime("%d/%m/%Y")),
            Cell(str(STATUS_LABELS[status]), css=status),
        )
    return table


def trend_table(filters: Filters, rows: list[figures.YearRow], single: bool) -> Table:
    table = Table(
        key="trend",
        title=_("Diễn biến theo năm"),
        columns=[
            Column(_("Năm")),
            Column(_("Kế hoạch năm")),
            Column(_("Hoạt động"), NUMBER),
        ]
        + [Column(str(STATUS_LABELS[s]), NUMBER) for s in STATUSES]
        + [
            Column(_("Tỷ lệ hoàn thành (%)"), PERCENT),
            Column(_("Quá hạn"), NUMBER),
            Column(_("Kinh phí dự kiến (đồng)"), MONEY),
            Column(_("Kinh phí đã sử dụng (đồng)"), MONEY),
            Column(_("HTX được hỗ trợ"), NUMBER),
        ],
    )
    for row in rows:
        narrowed = filters.but(years=(row.year,))
        plans = [f"{PLAN_LABELS[s]}: {n}" for s, n in row.plans.items() if n]
        if single:
            plans = [str(PLAN_LABELS[s]) for s, n in row.plans.items() if n]
        table.add(
            Cell(row.year),  # a number in the .xlsx, not text
            Cell("; ".join(plans) or _("Chưa có"), plans_url(narrowed) if plans else ""),
            Cell(row.tally.total, activities_url(narrowed)),
            *_status_cells(narrowed, row.tally),
            Cell(row.tally.done_percent),
            Cell(row.tally.overdue, activities_url(narrowed, overdue="1")),
            Cell(row.tally.planned_budget),
            Cell(row.tally.spent),
            Cell(row.cooperatives, cooperatives_url(narrowed)),
        )
    table.chart = bar_chart(
        table, [(i + 3, STATUS_COLOURS[s]) for i, s in enumerate(STATUSES)], stacked=True
    )
    return table


def commune_table(filters: Filters, rows: list[figures.CommuneRow], province) -> Table:
    """Supported cooperatives of one province by today's commune (issue 15)."""
    table = Table(
        key="communes",
        title=_("HTX được hỗ trợ theo xã, phường của %(province)s") % {"province": province.label},
        columns=[
            Column(_("Xã, phường")),
            Column(_("Mã")),
            Column(_("Số HTX"), NUMBER),
            Column(_("Số thành viên"), NUMBER),
            Column(_("Thành viên là người DTTS"), NUMBER),
        ],
        note=_(
            "Xã, phường hiện nay nơi HTX đặt trụ sở; HTX ghi theo xã cũ được tính vào xã mới "
            "đã tiếp nhận xã đó. Số thành viên là tổng số các HTX ghi nhận."
        ),
    )
    for row in rows:
        commune = row.commune
        table.add(
            Cell(commune.full_name if commune else _("Chưa xác định xã, phường")),
            Cell(commune.code if commune else ""),
            Cell(row.cooperatives, cooperatives_url(filters, commune=commune.pk if commune else 0)),
            Cell(row.members),
            Cell(row.ethnic_minority_members),
        )
    table.set_footer(
        Cell(_("Cộng")),
        Cell(""),
        Cell(sum(r.cooperatives for r in rows), cooperatives_url(filters)),
        Cell(sum(r.members for r in rows)),
        Cell(sum(r.ethnic_minority_members for r in rows)),
    )
    return table
