"""Every URL of the URL map fed bad input: a NUL byte, integers beyond 64 bits (2**64, -2**70)
and invalid UTF-8, in every query parameter a page reads and every field of its forms.

The answer may refuse the input (400, a form error, an empty list, 404), never fail with a 500,
and a POST of NUL or invalid UTF-8 changes no row (a large integer may be a valid title). PostgreSQL refuses NUL bytes in text and SQLite integers
beyond 64 bits, so the test is only complete when run on both (CI's `make test` does).

As in test_url_sweep the walk is generic: each pattern is filled with the id of a record of the
world below that the page shows (or, for the admin, a row of its model); its query parameters
are the names in QUERY_PARAMETERS and those of the page's own GET forms; its forms are found in
the page. A page that adds a parameter or a form is fuzzed without touching this file."""

import datetime
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.contrib.admin import ModelAdmin
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from cooperatives import uploads as cooperative_uploads
from cooperatives.tests.factories import CooperativeFactory
from coordination import services as coordination_services
from coordination.tasks import export_programs
from coordination.tests.factories import make_progress
from core import jobs
from reporting.models import NARRATIVE_FIELDS, Commendation
from reporting.reports import services as report_services

from .urlmap import Route, candidate_urls, routes, spread_ids

pytestmark = pytest.mark.django_db

BAD_VALUES = {
    "NUL": "\x00",
    "2**64": str(2**64),
    "-2**70": str(-(2**70)),
    "invalid UTF-8": b"\xff\xfe",
}
# Query parameters some page reads without a form of its own (and those of the filter forms).
QUERY_PARAMETERS = [
    "q", "sector", "province", "year", "indicator", "agency", "task_area", "area", "status",
    "phase", "program", "page", "trang", "noi_dung", "ocop", "overdue", "kind", "ethnic_area",
    # The admin's.
    "o", "p", "_to_field", "_changelist_filters",
]  # fmt: skip
# Rows a refused POST may still write: a failed login is recorded (django-axes), and a
# signed-in user's session expiry is pushed on (core.middleware.SessionTouchMiddleware).
WRITTEN_ANYWAY = {"axes", Session._meta.label}
MANAGEMENT_FORM = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# Patterns with no page of their own to find a record through: downloads and POST-only steps.
# They are still fed the bad query parameters.
NO_PAGE = {
    "logout",
    "set_language",
    "core:job_file",
    "coordination:progress_attachment",
    "coordination:program_document",
    "coordination:plan_decision",
    "coordination:task_area_move",
    "coordination:program_export",
    "coordination:plan_submit",
    "coordination:plan_withdraw",
    "coordination:plan_approve",
    "coordination:period_close",
    "cooperatives:import_confirm",
    "reporting:report_refresh",
    "reporting:report_new_version",
    "reporting:report_finalise",
    "reporting:report_xlsx",
    "reporting:report_commendation_delete",
    "api_tokens:token_revoke",
    # People: the member page's POST steps, and opening a notification (a redirect).
    "agencies:member_invite",
    "agencies:member_role",
    "agencies:member_deactivate",
    "agencies:member_reactivate",
    "notifications:mark_all_read",
    "notifications:open",
}
# The admin's own views that read no query parameter but Django's (_to_field, _popup,
# _changelist_filters): visited, not fed every parameter.
ADMIN_PLAIN_VIEWS = ("_change", "_history", "_delete", "_simple_history")


def model_admin_of(route: Route) -> ModelAdmin | None:
    """The ModelAdmin whose view the route is (Django's and simple_history's views)."""
    view = route.pattern.callback
    wrapped = getattr(view, "__wrapped__", None)
    owner = getattr(view, "model_admin", None) or getattr(wrapped, "__self__", None)
    return owner if isinstance(owner, ModelAdmin) else None


def groups() -> dict[str, list[Route]]:
    """The routes in a few groups of similar cost, one test each: building the world for each
    of the ~200 patterns would cost more than fuzzing them. A failure names every URL."""
    large = ("agencies", "cooperatives", "coordination", "reporting")
    found: dict[str, list[Route]] = {}
    for route in routes():
        if route.name == "admin:logout":  # would end the session the next requests need
            continue
        model_admin = model_admin_of(route)
        if model_admin is not None:
            app = model_admin.model._meta.app_label
            group = f"admin:{app if app in large else 'other'}"
        elif route.name.startswith(("admin:", "<")):  # the admin site's own pages
            group = "admin:other"
        else:
            namespace = route.name.rpartition(":")[0]
            group = namespace if namespace in ("coordination", "reporting") else "other"
        found.setdefault(group, []).append(route)
    return found


GROUPS = groups()


@pytest.fixture
def fuzz_world(world):
    """`world` with a record of every kind a page is about, and one user who may use every page:
    a manager of the program's party agency (writes, approves), also the superuser (the admin,
    the cooperative import, every job)."""
    spread_ids()
    user = world.manager
    user.is_superuser = user.is_staff = True
    user.save()
    progress = make_progress(world.activity, author=user)
    job = jobs.start(export_programs, owner=user, title="Xuất dữ liệu", user_id=user.pk)
    report = report_services.report_generate(
        program=world.program, kind="annual", year=2024, by=user
    )
    commendation = report_services.commendation_save(
        commendation=Commendation(
            program=world.program,
            year=2024,
            recipient_kind="agency",
            agency=world.alliance,
            form="bang_khen",
            authority="Chủ tịch UBND tỉnh",
            decision_number="12/QĐ-UBND",
            decision_date=datetime.date(2024, 12, 1),
        ),
        by=user,
    )
    cooperative = CooperativeFactory()
    # For the API: an indicator (its progress) and a finalised report (only those are served).
    indicator = coordination_services.indicator_create(
        program=world.program, code="CS1", name="Số HTX thành lập mới", unit="HTX"
    )
    finalised = report_services.report_generate(
        program=world.program, kind="annual", year=2023, by=user
    )
    for manager in (user, world.alliance_manager):
        finalised = report_services.report_finalise(report=finalised, by=manager)
    upload = cooperative_uploads.cooperative_import_upload(
        user=user,
        file=ContentFile("Mã số HTX,Tên HTX\n".encode(), name="ds.csv"),
        province=world.dong_nai,
    )
    # The report first: its section pages are found by pairing ids with a section's name.
    records = [report, world.program, world.plan, world.activity, progress, job, commendation]
    records += [cooperative, upload, indicator, finalised]
    # A program's setup pages name a task area, a phase or an indicator after the program.
    records += [world.program.task_areas.last(), world.program.phases.last()]
    # The agency pages (members, successor) name an agency: on SQLite another record's id
    # happened to be one, PostgreSQL's sequences gave none.
    records += [world.ethnic]
    return SimpleNamespace(**vars(world), user=user, ids=[r.pk for r in records])


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_bad_input_is_refused_without_an_error(fuzz_world, group):
    client = Client(raise_request_exception=True)
    client.force_login(fuzz_world.user)
    problems = []
    for route in GROUPS[group]:
        problems += fuzz(client, route, fuzz_world)
    assert not problems, "\n".join(problems)


def fuzz(client, route: Route, world) -> list[str]:
    """GET the route's page with the bad values in every query parameter (also with
    `xlsx=1`, which turns the dashboards and lists into downloads) and POST its forms with
    them; the problems found."""
    url, page = page_url(client, route, world)
    is_admin = route.name.startswith(("admin:", "<"))
    if page is None and not is_admin and route.name not in NO_PAGE:
        return [f"no record of the fuzz world shows a page at {route.name}: give it one"]
    get_names, post_forms = page_forms(url, page)
    names = set(QUERY_PARAMETERS) | get_names
    if is_admin:
        plain = route.name.endswith(ADMIN_PLAIN_VIEWS)
        variants = [] if plain else [query(names, value) for value in BAD_VALUES.values()]
    else:
        # Each value in the page and in its download: the two large integers split between
        # them (both overflow the same way), NUL and invalid UTF-8 in both.
        nul, big, small, utf8 = BAD_VALUES.values()
        variants = [query(names, value) for value in (nul, big, utf8)]
        variants += [query(names, value, xlsx="1") for value in (nul, small, utf8)]
    problems = []
    for params in variants:
        target = f"{url}?{params}"
        problems.append(failure("GET", target, ask(client, "GET", target)))

    # NUL and invalid UTF-8 must be refused: those POSTs change no row. The large integers
    # may be a valid value for some fields (a title "18446744073709551616"), so they go last.
    before = snapshot()
    for refused in (True, False):
        for form in post_forms:
            for body in post_bodies(form, refused=refused, admin=is_admin):
                problems.append(failure("POST", url, ask(client, "POST", url, body), body))
        if refused and snapshot() != before:
            problems.append(f"a POST of NUL or invalid UTF-8 to {url} changed the database")
    return [p for p in problems if p]


def page_url(client, route: Route, world) -> tuple[str, object]:
    """A URL of `route` that shows a page to the user, with that page (None if it has none)."""
    model_admin = model_admin_of(route)
    ids = world.ids
    if model_admin is not None:
        ids = list(model_admin.model._default_manager.values_list("pk", flat=True)[:2]) or [1]
    # Every pairing for our own pages (a report and a section's name); side by side for the
    # admin's (an object and one of its history rows).
    every_pair = not route.name.startswith(("admin:", "<"))
    words = [NARRATIVE_FIELDS[0]] + [app.label for app in apps.get_app_configs()]
    candidates = candidate_urls(route, ids, words=words, every_pair=every_pair)
    for url, _named in candidates:
        response = ask(client, "GET", url)
        if not isinstance(response, Exception) and response.status_code == 200:
            return url, response
    return candidates[0][0], None


def page_forms(url: str, response) -> tuple[set[str], list]:
    """The names the page's GET forms send, and its POST forms that post back to the same view
    with something to fill in (not a bare confirmation button)."""
    if response is None or "html" not in response.get("Content-Type", ""):
        return set(), []
    document = lxml.html.fromstring(response.content.decode(errors="replace"))
    view = resolve(urlsplit(url).path).func
    get_names, post_forms = set(), []
    for form in document.forms:
        names = [field.name for field in form.inputs if field.name]
        if (form.method or "GET").upper() == "GET":
            get_names.update(names)
            continue
        action = urlsplit(form.get("action") or url).path
        try:
            same_view = resolve(action).func is view
        except Resolver404:
            same_view = False
        fillable = [
            field
            for field in form.inputs
            if field.name and field.get("type") not in ("hidden", "submit", "button")
        ]
        if same_view and fillable:
            post_forms.append(form)
    return get_names, post_forms


def query(names, value, **extra) -> str:
    return urlencode([(name, value) for name in sorted(names)] + list(extra.items()))


def post_bodies(form, *, refused: bool, admin: bool) -> list[str]:
    """Form bodies with every field NUL / invalid UTF-8 (`refused`) or a large integer.

    Outside the admin also each field alone NUL, the others as the page filled them: a NUL the
    form does not refuse could otherwise hide behind the other fields' errors. The admin's
    forms are Django's own, so all-bad bodies suffice there, and its inline formsets keep
    their form counts as the page wrote them (Django believes a count up to 2,000 forms)."""
    filled = [(k, v) for k, v in form.form_values() if k != "csrfmiddlewaretoken"]
    fields = [f.name for f in form.inputs if f.name and f.name != "csrfmiddlewaretoken"]
    kept = [(k, v) for k, v in filled if admin and k.endswith(MANAGEMENT_FORM)]
    fields = [name for name in fields if not (admin and name.endswith(MANAGEMENT_FORM))]
    nul, big, small, utf8 = BAD_VALUES.values()
    values = (nul, utf8) if refused else (big, small)
    bodies = [urlencode([*kept, *((name, value) for name in fields)]) for value in values]
    if refused and not admin:
        for name in dict.fromkeys(fields):
            rest = [(k, v) for k, v in filled if k != name]
            bodies.append(urlencode([*rest, (name, nul)]))
    return bodies


def ask(client, method: str, url: str, body: str | None = None):
    """The response, or the exception a 500 would have been (in a savepoint, so that on
    PostgreSQL the next request still has a usable transaction)."""
    try:
        with transaction.atomic():
            if method == "GET":
                return client.get(url)
            return client.post(url, body, content_type="application/x-www-form-urlencoded")
    except Exception as error:  # noqa: BLE001 - every failure is a finding
        return error


def failure(method: str, url: str, response, body: str | None = None) -> str | None:
    if isinstance(response, Exception):
        found = f"raised {type(response).__name__}: {str(response)[:150]}"
    elif response.status_code >= 500:
        found = f"answered {response.status_code}"
    else:
        return None
    return f"{found} on {method} {url[:250]} {(body or '')[:250]}"


def snapshot() -> dict[str, list]:
    """Every row of every table (but WRITTEN_ANYWAY)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label not in WRITTEN_ANYWAY and model._meta.label not in WRITTEN_ANYWAY
    }
