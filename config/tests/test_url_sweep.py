"""Every URL in the URL map, swept as an anonymous visitor and as users of another province.

Nothing private may be served: anonymous visitors are sent straight to the login page on every
URL not in PUBLIC (the admin's own login for its pages; 405 where a view takes only POST; 401
for the REST API's).
Users of another province never get a record of Đồng Nai, neither by its id nor in any list:
a URL naming such a record is refused exactly as the same URL naming a record that does not
exist (404 for a page of a record, so its existence does not leak either), and no page, the
refusals included, shows its text. Every GET leaves the database row counts unchanged.

The sweep is generic: it walks the resolver, fills each parameter from the ids of rows the
sweeping user may not see (per `visible_to(user)` of every model that has one), so URLs that
other apps add later are swept without touching this file. A URL it cannot fill fails the test
until it is given a value here."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.tasks import export_programs
from coordination.tests.factories import make_activity, make_program, make_progress
from core import jobs
from reporting.reports import services as reports

from .urlmap import candidate_urls, counts, routes, spread_ids

pytestmark = pytest.mark.django_db

# Public URLs, by URL name: anyone may open them (they hold no data).
PUBLIC = {
    "login",
    "set_language",
    "admin:login",
    # Forgotten password and invitation links: for people who cannot sign in yet.
    "agencies:password_reset",
    "agencies:password_reset_done",
    "agencies:password_reset_confirm",
    "agencies:invitation_accept",
    # The API's schema and docs hold no data.
    "api:schema",
    "api:docs",
}
# The REST API's URLs (api/urls.py) answer a visitor without credentials 401, not a redirect:
# a script has no login page to go to.
API_NAMESPACE = "api:"
# Where a refused visitor may be sent.
LOGIN_PATHS = ("/dang-nhap/", "/quan-tri/login/")
REFUSED = {403, 404, 405}


def private_rows(user) -> tuple[set[int], list[str]]:
    """Ids and texts of the rows `user` may not see, for every model with `visible_to`.

    An id that some visible row also has is left out (the URL could rightly show that row);
    so is a text that also appears in a visible row (two activities can share a title)."""
    hidden_ids, visible_ids, hidden_text, visible_text = set(), set(), set(), []
    for model in apps.get_models():
        manager = model._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        visible = set(manager.visible_to(user).values_list("pk", flat=True))
        visible_ids |= visible
        for row in manager.all():
            if row.pk in visible:
                visible_text.append(str(row))
            else:
                hidden_ids.add(row.pk)
                hidden_text.add(str(row))
    markers = [
        text
        for text in hidden_text
        if len(text) >= 8 and not any(text in shown for shown in visible_text)
    ]
    return hidden_ids - visible_ids, markers


@pytest.fixture
def sweep_world(world):
    """`world` plus, with ids of their own, one record of every kind that only Đồng Nai may see."""
    spread_ids()
    program = make_program(
        title="Chương trình riêng Đồng Nai 7731",
        parties=[world.ethnic, world.alliance],
        province=world.dong_nai,
    )
    plan = services.plan_create(program=program, year=2025)
    secret = make_activity(plan, lead_agency=world.ethnic, title="Hoạt động nội bộ Đồng Nai 7731")
    make_progress(secret, author=world.staff, note="Ghi chú nội bộ 7731")
    CooperativeFactory(name="HTX Bí Mật Đồng Nai 7731")
    report = reports.report_generate(program=program, kind="annual", year=2025, by=world.staff)
    job = jobs.start(
        export_programs, owner=world.staff, title="Xuất dữ liệu riêng Đồng Nai 7731",
        user_id=world.staff.pk,
    )  # fmt: skip
    return SimpleNamespace(
        **vars(world), secret_ids={program.pk, plan.pk, secret.pk, report.pk, job.pk}
    )


def sent_to_login(client, response, hops: int = 3) -> bool:
    """A redirect that ends, within a few hops on this site, at a login page."""
    for _ in range(hops):
        if response.status_code not in (301, 302):
            return False
        location = response["Location"]
        if location.startswith(LOGIN_PATHS):
            return True
        if not location.startswith("/"):
            return False
        response = client.get(location)
    return False


def sent_straight_to_login(response) -> bool:
    """The answer itself redirects to the site's login page (not to the admin's)."""
    return response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )


def sweep(client, user, world) -> list[str]:
    """GET every URL as `client`; return the problems found."""
    hidden_ids, markers = private_rows(user)
    assert world.secret_ids <= hidden_ids
    assert "Hoạt động nội bộ Đồng Nai 7731" in markers
    anonymous = user is None or not user.is_authenticated
    admin_prefix = reverse("admin:index")
    problems = []
    swept = 0
    twin_status = {}
    for route in routes():
        for url, twin in candidate_urls(route, sorted(hidden_ids)):
            swept += 1
            response = client.get(url)
            status = response.status_code
            # Refusals too: a 404 or 403 page must not name what it refuses.
            body = response.content.decode(errors="replace")
            leaked = [m for m in markers if m in body or escape(m) in body]
            if leaked:
                problems.append(f"{url} ({route.name}) shows {leaked[:2]}")
            if status >= 500:
                problems.append(f"{url} ({route.name}) answered {status}")
            if route.name in PUBLIC:
                continue
            if anonymous:
                if route.name.startswith(API_NAMESPACE):
                    if status != 401 or "WWW-Authenticate" not in response:
                        problems.append(f"{url} ({route.name}) answered {status} to anonymous")
                    continue
                if url.startswith(admin_prefix):
                    sent = sent_to_login(client, response)
                else:
                    sent = sent_straight_to_login(response)
                if not sent and status != 405:
                    problems.append(f"{url} ({route.name}) answered {status} to anonymous")
                continue
            if not (status in REFUSED or sent_to_login(client, response)) and twin:
                problems.append(f"{url} ({route.name}) served a hidden record ({status})")
            if twin:
                if twin not in twin_status:
                    twin_status[twin] = client.get(twin).status_code
                if status != twin_status[twin]:
                    problems.append(
                        f"{url} ({route.name}) answered {status} for a hidden record but "
                        f"{twin_status[twin]} for a missing one: it tells that the record exists"
                    )
    assert swept > 50, "the sweep found too few URLs"
    return problems


def test_anonymous_visitors_get_nothing_private_and_gets_change_nothing(sweep_world):
    before = counts()
    problems = sweep(Client(), None, sweep_world)
    assert not problems, "\n".join(problems)
    assert counts() == before


@pytest.mark.parametrize("who", ["other_staff", "other_manager"])
def test_users_of_another_province_get_nothing_of_dong_nai(sweep_world, who):
    user = getattr(sweep_world, who)
    client = Client()
    client.force_login(user)
    before = counts()
    problems = sweep(client, user, sweep_world)
    assert not problems, "\n".join(problems)
    assert counts() == before


def test_the_public_list_names_real_urls():
    """A renamed public URL must not silently leave a stale name here."""
    assert PUBLIC <= {route.name for route in routes()}
    assert settings.LOGIN_URL == "login"
