"""The API filters as the pages do: a current province includes its former ones, the search
ignores tone marks, the dashboards' filters keep the same activities as the dashboards' list,
and an invalid filter is a 400 with the form's message (never a silently wider list)."""

import pytest
from django.test import Client
from django.urls import reverse

from cooperatives.tests.factories import CooperativeFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


def ids(client, url, **params) -> set[int]:
    response = client.get(url, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_new_province_includes_its_old_ones(api_world):
    w = api_world
    client, _token = token_client(w.central_manager)
    # Đồng Nai's program was written under old Bình Phước.
    assert w.program.province == w.binh_phuoc
    assert ids(client, reverse("api:program-list"), province=w.dong_nai.pk) == {w.program.pk}
    assert ids(client, reverse("api:plan-list"), province=w.dong_nai.pk) == {w.plan.pk}
    activities = ids(client, reverse("api:activity-list"), province=w.dong_nai.pk)
    assert activities == {w.activity.pk, w.second_activity.pk}
    agencies = ids(client, reverse("api:agency-list"), province=w.dong_nai.pk)
    assert {w.ethnic.pk, w.ethnic_old.pk, w.alliance.pk} <= agencies
    assert w.other_ethnic.pk not in agencies


def test_the_activity_list_is_the_dashboards_list(api_world):
    """Same query string, same activities as /bao-cao/hoat-dong/."""
    w = api_world
    client, _token = token_client(w.central_manager)
    page = Client()
    page.force_login(w.central_manager)
    for params in (
        {"status": "in_progress"},
        {"status": "not_started"},
        {"year": "2024", "area": "1"},
        {"year": "", "standard": "1"},
        {"agency": str(w.alliance.pk)},
        {"indicator": str(w.indicator.pk)},
        {"overdue": "on"},
    ):
        shown = page.get(reverse("reporting:activities"), params).context["page"]
        assert ids(client, reverse("api:activity-list"), **params) == {a.pk for a in shown}, params


def test_search_ignores_tone_marks(api_world):
    client, _token = token_client(api_world.staff)
    coop = CooperativeFactory(name="HTX Nông nghiệp Bù Gia Mập")
    CooperativeFactory(name="HTX Dệt thổ cẩm Mường Chang")
    assert ids(client, reverse("api:cooperative-list"), q="bu gia map") == {coop.pk}
    programs = ids(client, reverse("api:program-list"), q="binh phuoc")
    assert programs == {api_world.program.pk}
    assert ids(client, reverse("api:province-list"), q="dong nai", current="true") == {
        api_world.dong_nai.pk
    }


def test_progress_updates_filter_by_activity_status_and_latest(api_world):
    w = api_world
    client, _token = token_client(w.manager)
    url = reverse("api:progress-update-list")
    assert ids(client, url, activity=w.activity.pk) == {w.progress.pk}
    assert ids(client, url, status="done") == set()
    assert ids(client, url, latest="true") == {w.progress.pk}
    assert ids(client, url, province=w.dong_nai.pk) == {w.progress.pk}


def test_the_indicator_progress_counts_as_the_dashboards(api_world):
    w = api_world
    client, _token = token_client(w.manager)
    body = client.get(reverse("api:indicator-progress", args=[w.indicator.pk])).json()
    (phase,) = body["phases"]
    assert (phase["phase_number"], phase["target_min"], phase["achieved"]) == (1, "3.00", "2.00")
    assert {"year": 2024, "value": "2.00"} in phase["yearly"]
    assert (phase["percent"], phase["met"]) == ("66.7", False)
    assert (
        client.get(reverse("api:indicator-progress", args=[w.indicator.pk]), {"phase": 2}).json()[
            "phases"
        ]
        == []
    )


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("api:activity-list", {"status": "finished"}, "status"),
        ("api:activity-list", {"year": "1990"}, "year"),
        ("api:activity-list", {"province": str(2**64)}, "province"),
        ("api:plan-list", {"status": "x"}, "status"),
        ("api:cooperative-list", {"ocop": "9"}, "ocop"),
        ("api:agency-list", {"province": "-1"}, "province"),
        ("api:report-list", {"kind": "monthly"}, "kind"),
        ("api:progress-update-list", {"latest": "maybe"}, "latest"),
        ("api:program-list", {"phase": "1"}, None),  # not a filter of programs: ignored
    ],
)
def test_an_invalid_filter_is_a_400_with_the_forms_message(api_world, name, params, field):
    client, _token = token_client(api_world.manager)
    response = client.get(reverse(name), params)
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]
