"""Progress posted through the API is counted in the dashboards' summary, as the form's."""

import pytest

from coordination.models import ActivityTally
from coordination.tests.test_summary import assert_summary_is_the_recount

from .conftest import token_client

pytestmark = pytest.mark.django_db


def test_progress_posted_through_the_api_is_counted(api_world):
    w = api_world
    client, _token = token_client(w.staff)
    response = client.post(
        "/api/v1/progress-updates/",
        {"activity": w.activity.pk, "reported_on": "2024-07-15", "status": "done",
         "percent": 100, "budget_spent": 8_500_000},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert_summary_is_the_recount()
    row = ActivityTally.objects.get(plan=w.activity.plan, status="done")
    assert (row.activities, row.budget_spent, row.due) == (1, 8_500_000, None)
