"""Query counts per endpoint page are bounded and do not grow with the page size: every list
is read at page_size=10 and 100 over more than 10 rows and must cost the same queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.tests.factories import AgencyFactory
from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.tests.factories import make_activity, make_program, make_progress

from .conftest import token_client

pytestmark = pytest.mark.django_db

# Queries per page: session-less token look-up and touch, the count, the rows and one per
# prefetched relation, plus the filter forms' choices (the pages' forms).
BUDGET = {
    "api:province-list": 6,
    "api:agency-list": 6,
    "api:program-list": 16,
    "api:plan-list": 12,
    "api:activity-list": 14,
    "api:progress-update-list": 12,
    "api:cooperative-list": 8,
    "api:report-list": 6,
}


@pytest.fixture
def many(world):
    """More than ten rows of every list the manager of Đồng Nai reads."""
    w = world
    cooperatives = [CooperativeFactory() for _ in range(12)]
    for number in range(11):
        AgencyFactory(name=f"Sở thứ {number}", province=w.dong_nai)
        program = make_program(
            title=f"Chương trình {number}", parties=[w.ethnic, w.alliance], province=w.dong_nai
        )
        services.plan_create(program=program, year=2024)
    for number in range(11):
        activity = make_activity(
            w.plan,
            lead_agency=w.ethnic,
            supporting_agencies=[w.alliance, w.department],
            cooperatives=cooperatives[:3],
            title=f"Hoạt động {number}",
        )
        make_progress(activity, author=w.staff)
    return w


@pytest.mark.parametrize("name", sorted(BUDGET))
@pytest.mark.parametrize("who", ["manager", "central_manager"])
def test_a_page_costs_the_same_queries_at_10_and_100_rows(
    many, name, who, django_assert_max_num_queries
):
    client, _token = token_client(getattr(many, who))
    url = reverse(name)
    client.get(url)  # the token's first use is recorded once
    counts = {}
    for size in (10, 100):
        with django_assert_max_num_queries(BUDGET[name]):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"{url}?page_size={size}")
        assert response.status_code == 200
        body = response.json()
        assert len(body["results"]) == min(size, body["count"])
        counts[size] = len(queries)
    if name != "api:report-list":
        assert client.get(url).json()["count"] > 10, "too few rows to compare the page sizes"
    assert counts[10] == counts[100], counts


def test_a_plan_with_its_activities_costs_a_fixed_number_of_queries(
    many, django_assert_max_num_queries
):
    client, _token = token_client(many.manager)
    url = reverse("api:plan-detail", args=[many.plan.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert len(response.json()["activities"]) == 12
