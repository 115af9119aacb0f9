"""The figures read from the summary rows (`coordination.models.summary`) equal the same
figures counted from the activities and their latest progress."""

import datetime
import io

import pytest
from django.core.management import call_command

from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.models import ActivityTally, Program, SupportedCooperative
from coordination.tests.factories import make_activity, make_program
from reporting import figures
from reporting.figures.activities import _distinct_by_unit, _reach_by_unit
from reporting.figures.provinces import Units
from reporting.figures.scope import activities_in, cooperative_links, tallies_in
from reporting.figures.tally import TALLY_FIELDS, Tally, tally_by

pytestmark = pytest.mark.django_db
FILTERS = [
    figures.Filters(),
    figures.Filters(years=(2024,)),
    figures.Filters(years=(2026,)),
    figures.Filters(phase=1, task_area=3),
    figures.Filters(province_id=figures.NATIONAL, standard_area=2),
]
GROUPS = [
    [],
    ["task_area__number", "task_area__title"],
    ["plan__year"],
    ["task_area__standard_area", "plan__program__province_id"],
]


@pytest.fixture
def national_set():
    call_command("generate_scale_data", scale=0.002, seed=5, stdout=io.StringIO())
    return Program.objects.all()


def test_tallies_from_the_summary_equal_tallies_from_the_activities(national_set):
    today = datetime.date(2026, 7, 1)
    for filters in FILTERS:
        assert tallies_in(national_set, filters).model is ActivityTally
        for by in GROUPS:
            assert tally_by(tallies_in(national_set, filters), by, today) == tally_by(
                activities_in(national_set, filters), by, today
            ), (filters, by)


def test_a_tally_equals_a_recount_of_the_activities_in_python(national_set):
    """The statuses, the overdue and the budgets counted in columns (`FILTER`) give what
    counting each activity by its latest update gives; nothing counted gives no tally."""
    today = datetime.date(2026, 7, 1)
    filters = figures.Filters(years=(2025,))
    expected: dict[tuple, dict[str, int]] = {}
    for a in activities_in(national_set, filters).with_latest_progress():
        tally = expected.setdefault((a.plan.year,), dict.fromkeys(TALLY_FIELDS, 0))
        tally[a.latest_status or "not_started"] += 1
        tally["overdue"] += a.is_overdue(today)
        tally["planned_budget"] += a.planned_budget
        tally["spent"] += a.latest_budget_spent or 0
    assert expected, "the set has activities in 2025"
    for rows in (tallies_in(national_set, filters), activities_in(national_set, filters)):
        counted = tally_by(rows, ["plan__year"], today)
        assert counted == {key: Tally(**values) for key, values in expected.items()}
        assert tally_by(rows.none(), ["plan__year"], today) == {}
        assert tally_by(rows.none(), [], today) == {}
        total = sum(counted.values(), Tally())
        assert tally_by(rows, [], today) == {(): total}


def test_supported_cooperatives_from_the_summary_equal_the_activities_links(national_set):
    for filters in FILTERS:
        links, to_plan = cooperative_links(national_set, filters)
        assert links.model is SupportedCooperative and to_plan == ""
        raw = activities_in(national_set, filters).values("cooperatives").exclude(cooperatives=None)
        assert set(links.values_list("cooperative_id", flat=True)) == set(
            raw.values_list("cooperatives", flat=True)
        ), filters


def test_the_dashboards_most_overdue_are_the_same_read_either_way(national_set):
    today = datetime.date(2026, 7, 1)
    for filters in FILTERS:
        everything = list(figures.overdue_activities(national_set, filters, today=today)[:10])
        first = list(figures.overdue_activities(national_set, filters, today=today, first=10)[:10])
        assert first == everything, filters


def test_an_agency_filter_or_a_report_window_counts_the_activities(national_set):
    """The summary keeps no agencies and no progress as of a past day."""
    agency = figures.Filters(agency_id=national_set.first().parties.first().pk)
    window = figures.Filters(window=(datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)))
    for filters in (agency, window, figures.Filters(as_of=datetime.date(2024, 6, 30))):
        assert tallies_in(national_set, filters).model.__name__ == "Activity"
        assert cooperative_links(national_set, filters)[1] == "activity__"


def test_the_cooperatives_by_province_from_the_programs_counts_equal_the_summary_rows(
    national_set,
):
    """`CooperativeReach` answers the overview's cooperatives by province (one year or all
    years, unfiltered or one province) with the same numbers as the distinct count of the
    summary rows; with a phase or task area filter, or several years, it does not answer."""
    units = Units.load()
    supported = SupportedCooperative.objects.exclude(plan__program__province=None).first()
    province = supported.plan.program.province.current_unit().pk
    answered = [
        figures.Filters(),
        figures.Filters(years=(2024,)),
        figures.Filters(years=(2026,)),
        figures.Filters(province_id=province),
        figures.Filters(province_id=figures.NATIONAL, years=(2025,)),
        figures.Filters(program_id=national_set.first().pk),
    ]
    for filters in answered:
        counted = _reach_by_unit(national_set, filters, units)
        assert counted is not None, filters
        assert counted == _distinct_by_unit(national_set, filters, units), filters
        assert sum(counted.values()) > 0, filters
    for filters in (*FILTERS[3:], figures.Filters(years=(2024, 2025))):
        assert _reach_by_unit(national_set, filters, units) is None, filters


def test_two_programs_of_one_province_count_a_cooperative_they_share_once(world):
    """Distinct counts of two programs cannot be added: when two counted programs roll up into
    one province (Bình Phước's into Đồng Nai's), the figure is counted from the summary rows."""
    w = world
    shared, own, other = CooperativeFactory.create_batch(3)
    w.activity.cooperatives.set([shared])
    dong_nai = make_program(
        title="Chương trình phối hợp Đồng Nai", parties=[w.ethnic, w.alliance], province=w.dong_nai
    )
    plan = services.plan_create(program=dong_nai, year=2024)
    make_activity(plan, lead_agency=w.ethnic, cooperatives=[shared, own])
    w.other_activity.cooperatives.set([other])
    units = Units.load()
    everything = Program.objects.all()
    for filters in (figures.Filters(), figures.Filters(years=(2024,))):
        assert _reach_by_unit(everything, filters, units) is None
        rows = {
            row.province_id: row.cooperatives
            for row in figures.activities_by_province(everything, filters, units=units)
        }
        assert rows == {w.dong_nai.pk: 2, w.quang_ngai.pk: 1}
    # One program of each province: the programs' counts answer.
    one_each = Program.objects.exclude(pk=dong_nai.pk)
    assert _reach_by_unit(one_each, figures.Filters(), units) == {
        w.dong_nai.pk: 1,
        w.quang_ngai.pk: 1,
    }
