"""Each figure (`reporting.figures`) against counts worked out in the test from the rows the
fixture made."""

from collections import Counter
from decimal import Decimal

import pytest

from agencies.models import Province
from coordination.models import Program
from reporting import figures
from reporting.figures import Filters, Tally

pytestmark = pytest.mark.django_db

STATUSES = ["done", "in_progress", "delayed", "not_started", "cancelled"]


def expected_tally(rows) -> Tally:
    counts = Counter(r.status for r in rows)
    return Tally(
        **{status: counts[status] for status in STATUSES},
        overdue=sum(r.overdue for r in rows),
        planned_budget=sum(r.planned for r in rows),
        spent=sum(r.spent for r in rows),
    )


def everything():
    return Program.objects.all()


def test_totals_count_each_activity_by_its_latest_update(dash):
    tally = figures.activity_totals(everything(), today=dash.today)
    assert tally == expected_tally(dash.expected)
    assert tally.total == len(dash.expected)
    # Same-day updates: the one recorded last wins (delayed then cancelled → cancelled).
    assert tally.cancelled == 1
    assert tally.done_percent == Decimal(tally.done * 100 / tally.total).quantize(Decimal("0.1"))


def test_completion_by_task_area_counts_and_percents(dash):
    rows = figures.completion_by_task_area(everything(), today=dash.today)
    assert [r.number for r in rows] == sorted({e.area for e in dash.expected})
    for row in rows:
        mine = [e for e in dash.expected if e.area == row.number]
        assert row.tally == expected_tally(mine)
        assert sum(count for _status, count, _pct in row.tally.by_status) == len(mine)
    # Two programs use the standard titles, the national one its own: the standard one is shown.
    assert rows[0].title == "Nghiên cứu, tham mưu, xây dựng và đề xuất chính sách"


@pytest.mark.parametrize(
    "name, keep",
    [
        ("year 2025", lambda e, w: e.year == 2025),
        ("task area 4", lambda e, w: e.area == 4),
        ("province Đồng Nai with old Bình Phước", lambda e, w: e.province_id == w.dong_nai.pk),
        ("agency and its predecessor", lambda e, w: e.agency_ids & {w.ethnic.pk, w.ethnic_old.pk}),
        (
            "phase 1 of each program",
            lambda e, w: e.year <= 2025,
        ),
        ("program", lambda e, w: e.program_id == w.program.pk),
    ],
)
def test_filters_keep_the_matching_activities(dash, name, keep):
    filters = {
        "year 2025": Filters(years=(2025,)),
        "task area 4": Filters(task_area=4),
        "province Đồng Nai with old Bình Phước": Filters(province_id=dash.dong_nai.pk),
        "agency and its predecessor": Filters(agency_id=dash.ethnic.pk),
        "phase 1 of each program": Filters(phase=1),
        "program": Filters(program_id=dash.program.pk),
    }[name]
    rows = [e for e in dash.expected if keep(e, dash)]
    assert rows, "the filter must keep something for the test to mean anything"
    assert figures.activity_totals(everything(), filters, today=dash.today) == expected_tally(rows)
    listed = figures.activity_list(everything(), filters)
    assert sorted(a.pk for a in listed) == sorted(e.activity_id for e in rows)


def test_phase_filter_follows_each_programs_own_phases(dash):
    # Đồng Nai's new program has phase 1 = 2025 only and phase 2 = 2026–2030.
    mine = [e for e in dash.expected if e.program_id == dash.dong_nai_program.pk]
    phase_2 = figures.activity_totals(dash.dong_nai_program, Filters(phase=2), today=dash.today)
    assert phase_2 == expected_tally([e for e in mine if e.year >= 2026])
    phase_1 = figures.activity_totals(dash.dong_nai_program, Filters(phase=1), today=dash.today)
    assert phase_1 == expected_tally([e for e in mine if e.year == 2025])
    # The Bình Phước program's phase 2 starts in 2026 too, but it has no activity then.
    assert figures.activity_totals(dash.program, Filters(phase=2)).total == 0


def test_activity_lists_match_every_status_count_and_overdue(dash):
    tally = figures.activity_totals(everything(), today=dash.today)
    for status in STATUSES:
        listed = figures.activity_list(everything(), status=status, today=dash.today)
        assert listed.count() == tally.count(status), status
    overdue = figures.activity_list(everything(), overdue=True, today=dash.today)
    assert overdue.count() == tally.overdue == sum(e.overdue for e in dash.expected)
    assert {a.pk for a in figures.overdue_activities(everything(), today=dash.today)} == {
        e.activity_id for e in dash.expected if e.overdue
    }


def test_budget_spent_is_the_latest_cumulative_figure_not_the_sum_of_updates(dash):
    first = next(e for e in dash.expected if e.area == 1 and e.status == "done")
    rows = figures.activity_list(everything()).filter(pk=first.activity_id)
    assert rows.get().latest_budget_spent == 9_000_000  # updates said 2.000.000 then 9.000.000
    budget = figures.budget_summary(everything(), today=dash.today)
    assert budget.planned_budget == sum(e.planned for e in dash.expected)
    assert budget.spent == sum(e.spent for e in dash.expected)


def test_per_province_rows_roll_old_units_into_current_ones(dash):
    rows = figures.activities_by_province(everything(), today=dash.today)
    by_id = {r.province_id: r for r in rows}
    assert set(by_id) == {dash.dong_nai.pk, dash.quang_ngai.pk, None}
    assert dash.binh_phuoc.pk not in by_id
    for key, row in by_id.items():
        mine = [e for e in dash.expected if e.province_id == key]
        assert row.tally == expected_tally(mine)
        assert row.cooperatives == len(set().union(*(e.cooperative_ids for e in mine)))
    assert rows[0].label == "Trung ương"
    assert by_id[dash.dong_nai.pk].label == "TP Đồng Nai"


def test_per_province_rows_list_all_34_units_when_asked(dash):
    provinces = figures.dashboard_provinces(everything(), national=True)
    assert len(provinces) == 34 == Province.objects.current().count()
    rows = figures.activities_by_province(everything(), provinces=provinces, today=dash.today)
    assert len(rows) == 35  # 34 units and the national row
    assert sum(r.tally.total for r in rows) == len(dash.expected)


def test_plans_by_status_per_province_show_who_has_not_submitted_or_approved(dash):
    provinces = figures.dashboard_provinces(everything(), national=True)
    rows = figures.plan_status_by_province(everything(), year=2025, provinces=provinces)
    by_id = {r.province_id: r for r in rows}
    dong_nai = by_id[dash.dong_nai.pk]
    # The old Bình Phước program (submitted) and the new Đồng Nai one (draft) are both Đồng Nai's.
    assert (dong_nai.programs, dong_nai.draft, dong_nai.submitted, dong_nai.approved) == (
        2,
        1,
        1,
        0,
    )
    assert dong_nai.state == "not_submitted"
    quang_ngai = by_id[dash.quang_ngai.pk]
    assert (quang_ngai.programs, quang_ngai.missing, quang_ngai.state) == (1, 1, "not_submitted")
    assert by_id[None].state == "approved"
    assert sum(r.state == "no_program" for r in rows) == 32
    plans_2024 = {
        r.province_id: r for r in figures.plan_status_by_province(everything(), year=2024)
    }
    # In 2024 only the old program ran (the new one starts in 2025), and its plan is approved.
    assert (plans_2024[dash.dong_nai.pk].programs, plans_2024[dash.dong_nai.pk].state) == (
        1,
        "approved",
    )
    missing = figures.programs_without_plan(everything(), year=2025)
    assert list(missing) == [dash.other_program]
    assert figures.plan_list(everything(), year=2025, status="draft").get().program == (
        dash.dong_nai_program
    )


def test_indicators_combine_years_by_their_aggregation(dash):
    rows = figures.indicator_progress(everything(), year=2024)
    by_code = {r.code: r for r in rows}
    assert set(by_code) == {"01", "02", "03"}

    def yearly(indicator):
        values = {}
        for e in dash.expected:
            if e.indicator_id == indicator.pk and e.actual is not None:
                values[e.year] = values.get(e.year, Decimal(0)) + e.actual
        return values

    sums = yearly(dash.indicators["sum"])
    assert {y: v for y, v in by_code["01"].yearly if v is not None} == sums
    assert by_code["01"].achieved == sum(sums.values()) == 3
    assert by_code["01"].met and by_code["01"].target_display == "≥ 3"
    latest = yearly(dash.indicators["latest"])
    assert by_code["02"].achieved == latest[max(latest)] == 85
    assert by_code["02"].target_display == "80–100"
    peak = yearly(dash.indicators["max"])
    assert by_code["03"].achieved == max(peak.values()) == 2
    assert [y for y, _v in by_code["01"].yearly] == [2021, 2022, 2023, 2024, 2025]
    # Phase 2 has no target: nothing is listed for 2026.
    assert figures.indicator_progress(everything(), year=2026) == []


def test_indicator_achievement_respects_activity_filters(dash):
    rows = figures.indicator_progress(everything(), Filters(agency_id=dash.alliance.pk), year=2024)
    by_code = {r.code: r for r in rows}
    # Only the alliance-led 2024 activity of indicator 01 counts.
    assert by_code["01"].achieved == 1
    assert by_code["02"].achieved is None and not by_code["02"].met


def test_cooperatives_supported_are_distinct_with_sector_ocop_and_ethnic_share(dash):
    summary = figures.cooperatives_supported(everything())
    supported = set().union(*(e.cooperative_ids for e in dash.expected))
    assert summary.total == len(supported) == 4
    coops = [c for c in dash.coops if c.pk in supported]
    assert dict(summary.by_sector) == Counter(c.sector for c in coops)
    assert dict(summary.by_ocop) == Counter(c.ocop_stars for c in coops)
    both = [c for c in coops if c.members is not None and c.ethnic_minority_members is not None]
    assert summary.members == sum(c.members for c in both)
    assert summary.ethnic_minority_share == Decimal(
        sum(c.ethnic_minority_members for c in both) * 100 / sum(c.members for c in both)
    ).quantize(Decimal("0.1"))
    by_province = {r.province_id: r.cooperatives for r in summary.by_province}
    assert by_province == Counter(c.province_id for c in coops)
    only_2025 = figures.cooperatives_supported(everything(), Filters(years=(2025,)))
    assert only_2025.total == len(
        set().union(*(e.cooperative_ids for e in dash.expected if e.year == 2025))
    )


def test_provincial_manager_scope_never_includes_another_province(dash):
    scope = Program.objects.visible_to(dash.manager)
    mine = [e for e in dash.expected if e.province_id == dash.dong_nai.pk]
    assert figures.activity_totals(scope, today=dash.today) == expected_tally(mine)
    rows = figures.activities_by_province(
        scope, provinces=figures.dashboard_provinces(scope, national=False), today=dash.today
    )
    assert [r.province_id for r in rows] == [dash.dong_nai.pk]
    plans = figures.plan_status_by_province(scope, year=2025)
    assert [r.province_id for r in plans] == [dash.dong_nai.pk]
    assert figures.cooperatives_supported(scope).total == len(
        set().union(*(e.cooperative_ids for e in mine))
    )


def test_yearly_trend_of_one_program(dash):
    rows = figures.yearly_trend(dash.program, today=dash.today)
    assert [r.year for r in rows] == list(range(2021, 2031))
    for row in rows:
        mine = [e for e in dash.expected if e.program_id == dash.program.pk and e.year == row.year]
        assert row.tally == expected_tally(mine)
        assert row.cooperatives == len(set().union(set(), *(e.cooperative_ids for e in mine)))
    by_year = {r.year: r for r in rows}
    assert by_year[2024].plans["approved"] == 1 and by_year[2025].plans["submitted"] == 1
    assert sum(by_year[2023].plans.values()) == 0
    phase_2 = figures.yearly_trend(dash.program, Filters(phase=2), today=dash.today)
    assert [r.year for r in phase_2] == list(range(2026, 2031))


def test_breakdown_in_one_pass_equals_the_separate_figures(dash):
    provinces = figures.dashboard_provinces(everything(), national=True)
    for filters in [Filters(), Filters(years=(2025,)), Filters(province_id=dash.dong_nai.pk)]:
        breakdown = figures.activity_breakdown(
            everything(), filters, provinces=provinces, today=dash.today
        )
        assert breakdown.areas == figures.completion_by_standard_area(
            everything(), filters, today=dash.today
        )
        assert breakdown.provinces == figures.activities_by_province(
            everything(), filters, provinces=provinces, today=dash.today
        )
        assert breakdown.totals == figures.activity_totals(everything(), filters, today=dash.today)


def test_the_province_roll_up_in_sql_follows_any_chain_of_successors(dash):
    """`Units.current_unit_expression` (the distinct cooperatives by province are rolled up in
    SQL) maps every program's province to the unit `Units.current_of` names: through two
    successors, and through a chain that loops (bad data), for which it falls back on a CASE."""
    from datetime import date

    from reporting.figures.provinces import Units

    def check(depth):
        units = Units.load()
        assert units._successor_depth() == depth
        rows = Program.objects.annotate(unit=units.current_unit_expression("province_id"))
        for province_id, unit in rows.values_list("province_id", "unit"):
            assert unit == units.row_key(province_id), province_id

    def old_unit(code, successor=None):
        return Province.objects.create(
            code=code,
            name=f"Tỉnh cũ {code}",
            kind=dash.binh_phuoc.kind,
            valid_from=date(1990, 1, 1),
            valid_to=date(2000, 12, 31),
            successor=successor,
        )

    check(1)
    older = old_unit("99", successor=dash.binh_phuoc)
    Program.objects.filter(pk=dash.program.pk).update(province=older)
    check(2)
    rows = {r.province_id: r for r in figures.activities_by_province(everything())}
    assert older.pk not in rows and dash.binh_phuoc.pk not in rows
    assert rows[dash.dong_nai.pk].tally.total == sum(
        1 for e in dash.expected if e.province_id == dash.dong_nai.pk
    )
    first = old_unit("98")
    second = old_unit("97", successor=first)
    Province.objects.filter(pk=first.pk).update(successor=second)
    Program.objects.filter(pk=dash.program.pk).update(province=first)
    check(None)
