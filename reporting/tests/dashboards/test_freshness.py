"""How fresh a cached dashboard is (`reporting.dashboards.cache`): a province's dashboards are
rebuilt when their own programs' data changed, national ones on any change, never within
`DASHBOARD_MAX_AGE`, and every one at most `TIMEOUT` seconds after it was built."""

import time

import pytest
from django.urls import reverse

from coordination.models import ProgressUpdate
from coordination.tests.factories import make_progress
from reporting.dashboards import build
from reporting.dashboards.cache import TIMEOUT

# Today pinned to the fixture's day, the cache emptied around each test.
from .test_views import _fixed_day_and_clean_cache  # noqa: E402, F401

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reporting:overview")


@pytest.fixture
def clock(settings, monkeypatch):
    settings.DASHBOARD_MAX_AGE = 60
    now = [time.time()]
    monkeypatch.setattr("reporting.dashboards.cache._now", lambda: now[0])
    return now


@pytest.fixture
def builds(monkeypatch):
    """The scopes whose overview or program dashboard was built, in order."""
    built = []
    overview, program = build.overview, build.program_dashboard

    def counted_overview(programs, *args, **kwargs):
        built.append(("overview", tuple(sorted(programs.values_list("pk", flat=True)))))
        return overview(programs, *args, **kwargs)

    def counted_program(one, *args, **kwargs):
        built.append(("program", one.pk))
        return program(one, *args, **kwargs)

    monkeypatch.setattr(build, "overview", counted_overview)
    monkeypatch.setattr(build, "program_dashboard", counted_program)
    return built


def done(client, user, url=OVERVIEW) -> int:
    """The 'completed activities' figure as the page shows it (cached pages have no context)."""
    client.force_login(user)
    response = client.get(url, {"year": ""})
    assert response.status_code == 200
    text = response.content.decode()
    values = text.split('<span class="kpi-value">')
    return int(values[2].split("<", 1)[0].replace(".", ""))


def finish(activity, author):
    make_progress(activity, author=author, status="done", percent=100)


def test_progress_in_one_province_rebuilds_its_dashboard_and_leaves_anothers(
    client, dash, clock, builds
):
    dong_nai, quang_ngai = done(client, dash.manager), done(client, dash.other_manager)
    assert len(builds) == 2
    finish(dash.other_activity, dash.other_staff)  # Quảng Ngãi
    clock[0] += 61
    assert done(client, dash.manager) == dong_nai
    assert len(builds) == 2  # Đồng Nai's was checked, found untouched, and kept
    assert done(client, dash.other_manager) == quang_ngai + 1
    assert len(builds) == 3
    # Đồng Nai's, checked at +61 s, is trusted for another minute, then checked again.
    finish(dash.activity, dash.staff)  # Đồng Nai
    clock[0] += 59
    assert done(client, dash.manager) == dong_nai
    clock[0] += 2
    assert done(client, dash.manager) == dong_nai + 1
    assert len(builds) == 4


def test_a_national_dashboard_sees_every_provinces_change(client, dash, clock, builds):
    before = done(client, dash.central_manager)
    for activity, author in ((dash.other_activity, dash.other_staff), (dash.activity, dash.staff)):
        finish(activity, author)
        clock[0] += 59
        assert done(client, dash.central_manager) == before  # younger than the max age
        clock[0] += 2
        before += 1
        assert done(client, dash.central_manager) == before
    assert [kind for kind, _scope in builds] == ["overview"] * 3


def test_a_program_dashboard_is_rebuilt_for_its_own_program_only(client, dash, clock, builds):
    url = reverse("reporting:program", args=[dash.program.pk])
    shown = done(client, dash.manager, url)
    finish(dash.other_activity, dash.other_staff)
    clock[0] += 61
    assert done(client, dash.manager, url) == shown
    finish(dash.activity, dash.staff)
    clock[0] += 61
    assert done(client, dash.manager, url) == shown + 1
    assert builds == [("program", dash.program.pk)] * 2


def test_a_deleted_progress_update_rebuilds_its_provinces_dashboard(client, dash, clock, builds):
    update = make_progress(dash.activity, author=dash.staff, status="done", percent=100)
    shown = done(client, dash.manager)
    ProgressUpdate.objects.get(pk=update.pk).delete()  # leaves a history row, no higher id
    clock[0] += 61
    assert done(client, dash.manager) < shown
    assert len(builds) == 2


def test_a_kept_dashboard_still_expires_its_timeout_after_it_was_built(client, dash, clock, builds):
    # Changes that leave no history show within TIMEOUT seconds (the module's contract): being
    # found untouched again and again must not keep a dashboard longer than that.
    done(client, dash.manager)
    step = 61
    for _ in range(TIMEOUT // step):
        finish(dash.other_activity, dash.other_staff)
        clock[0] += step
        done(client, dash.manager)
    assert len(builds) == 1
    finish(dash.other_activity, dash.other_staff)
    clock[0] += step
    done(client, dash.manager)
    assert len(builds) == 2
