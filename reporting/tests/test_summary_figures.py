"""The figures read from the summary rows (`coordination.models.summary`) equal the same
figures counted from the activities and their latest progress."""

import datetime
import io

import pytest
from django.core.management import call_command

from coordination.models import ActivityTally, Program, SupportedCooperative
from reporting import figures
from reporting.figures.scope import activities_in, cooperative_links, tallies_in
from reporting.figures.tally import tally_by

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
