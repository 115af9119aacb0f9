"""The permission matrix: every plan, activity and progress page × every kind of user × read
and write, with the exact outcome. Refused = 404 when the user may not see the thing (no title
leak), 403 when they may see it but not do this; anonymous users are sent to log in.

The superuser is the system's administrator: they read everything but write, submit, approve
and report progress on nothing (docs/decisions.md, "The superuser administers; agencies
write")."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from agencies.tests.factories import UserFactory
from coordination import services
from coordination.models import Activity, ProgressUpdate, YearlyPlan

from . import files
from .factories import make_activity, make_progress

pytestmark = pytest.mark.django_db

OK, LOGIN = "ok", "login"
ROLES = [
    "staff",
    "other_staff",
    "manager",
    "alliance_manager",
    "central_manager",
    "admin",
    "superuser",
    "supporter",
    "ministry_supporter",
    "lead_staff",
    None,
]

# Who gets what, by kind of page. `manager` heads the successor of one party agency (the old
# Ban Dân tộc Bình Phước), `alliance_manager` the other party; `central_manager` and `admin`
# read the whole country but are not parties; `other_staff` works in another province;
# `superuser` (no membership) reads everything and writes nothing. `supporter` is the staff
# of a provincial department that supports the activity, `ministry_supporter` the central
# manager once their ministry supports it (the attack of issue 14): both read and report
# progress, neither changes nor deletes the activity. `lead_staff` works in the department once
# it leads the activity: they change it (draft plan) but not the plan.
READ = {
    "staff": OK,
    "other_staff": 404,
    "manager": OK,
    "alliance_manager": OK,
    "central_manager": OK,
    "admin": OK,
    "superuser": OK,
    "supporter": OK,
    "ministry_supporter": OK,
    "lead_staff": OK,
    None: LOGIN,
}
EDIT = {
    **READ,
    "central_manager": 403,
    "admin": 403,
    "superuser": 403,
    "supporter": 403,
    "ministry_supporter": 403,
    "lead_staff": 403,
}
APPROVE = {**EDIT, "staff": 403}
LIST = {**READ, "other_staff": OK}
ACTIVITY_EDIT = {**EDIT, "lead_staff": OK}
PROGRESS = {**ACTIVITY_EDIT, "supporter": OK, "ministry_supporter": OK}


def activity_post(world):
    return {
        "task_area": world.program.task_areas.get(number=2).pk,
        "title": "Hội thảo mới",
        "lead_agency": world.ethnic.pk,
        "start_date": "2024-03-01",
        "end_date": "2024-03-02",
        "planned_budget": "1.000.000",
        "budget_source": "local",
        "version": "1",
    }


def submitted(world):
    services.plan_submit(plan=world.plan, by=world.staff)


def approved(world):
    submitted(world)
    services.plan_approve(plan=world.plan, by=world.manager)
    services.plan_approve(plan=world.plan, by=world.alliance_manager)


def with_attachment(world):
    services.progress_record(
        activity=world.activity,
        reported_on=world.activity.end_date,
        status="in_progress",
        percent=50,
        author=world.staff,
        attachment=files.upload("bien-ban.pdf", files.PDF_BYTES),
    )


def plan_state(world):
    plan = YearlyPlan.objects.get(pk=world.plan.pk)
    return plan.status, plan.version, world.program.plans.count()


def activity_state(world):
    rows = Activity.objects.filter(plan=world.plan).order_by("pk")
    return [(a.pk, a.title, a.version) for a in rows]


def progress_state(world):
    return ProgressUpdate.objects.count()


@dataclass
class Page:
    name: str
    mode: str  # "read" (GET) or "write" (POST)
    url: Callable
    expected: dict
    setup: Callable = lambda world: None
    data: Callable = lambda world: {}
    state: Callable | None = None  # what a write changes

    def __str__(self):
        return f"{self.name}-{self.mode}"


def plan_url(name):
    return lambda w: reverse(f"coordination:{name}", args=[w.plan.pk])


def activity_url(name):
    return lambda w: reverse(f"coordination:{name}", args=[w.activity.pk])


PAGES = [
    Page("plan_detail", "read", plan_url("plan_detail"), READ),
    Page(
        "plan_create",
        "read",
        lambda w: reverse("coordination:plan_create", args=[w.program.pk]),
        EDIT,
    ),
    Page(
        "plan_create",
        "write",
        lambda w: reverse("coordination:plan_create", args=[w.program.pk]),
        EDIT,
        data=lambda w: {"year": "2025", "copy_previous": "on"},
        state=plan_state,
    ),
    Page("plan_submit", "write", plan_url("plan_submit"), EDIT, state=plan_state),
    Page("plan_approve", "write", plan_url("plan_approve"), APPROVE, submitted, state=plan_state),
    Page("plan_return", "read", plan_url("plan_return"), APPROVE, submitted),
    Page(
        "plan_return",
        "write",
        plan_url("plan_return"),
        APPROVE,
        submitted,
        lambda w: {"reason": "Thiếu kinh phí"},
        plan_state,
    ),
    Page("plan_reopen", "read", plan_url("plan_reopen"), APPROVE, approved),
    Page(
        "plan_reopen",
        "write",
        plan_url("plan_reopen"),
        APPROVE,
        approved,
        lambda w: {"reason": "Bổ sung hoạt động"},
        plan_state,
    ),
    Page("activity_create", "read", plan_url("activity_create"), EDIT),
    Page(
        "activity_create",
        "write",
        plan_url("activity_create"),
        EDIT,
        data=activity_post,
        state=activity_state,
    ),
    Page("activity_detail", "read", activity_url("activity_detail"), READ),
    Page("activity_edit", "read", activity_url("activity_edit"), ACTIVITY_EDIT),
    Page(
        "activity_edit",
        "write",
        activity_url("activity_edit"),
        ACTIVITY_EDIT,
        data=activity_post,
        state=activity_state,
    ),
    Page("activity_delete", "read", activity_url("activity_delete"), ACTIVITY_EDIT),
    Page(
        "activity_delete",
        "write",
        activity_url("activity_delete"),
        ACTIVITY_EDIT,
        state=activity_state,
    ),
    Page("progress_create", "read", activity_url("progress_create"), PROGRESS),
    Page(
        "progress_create",
        "write",
        activity_url("progress_create"),
        PROGRESS,
        data=lambda w: {
            "reported_on": "2024-06-01",
            "status": "in_progress",
            "percent": "30",
            "budget_spent": "0",
        },
        state=progress_state,
    ),
    Page(
        "progress_attachment",
        "read",
        lambda w: ProgressUpdate.objects.get().get_attachment_url(),
        READ,
        with_attachment,
    ),
    Page("my_plans", "read", lambda w: reverse("coordination:my_plans"), LIST),
    Page(
        "plans_awaiting_approval",
        "read",
        lambda w: reverse("coordination:plans_awaiting_approval"),
        LIST,
    ),
    Page("overdue_activities", "read", lambda w: reverse("coordination:overdue_activities"), LIST),
]


def user_in(world, role: str):
    if role == "superuser":
        return UserFactory(username="root", is_superuser=True, is_staff=True)
    if role == "supporter":
        world.activity.supporting_agencies.add(world.department)
        return world.department_staff
    if role == "ministry_supporter":
        world.activity.supporting_agencies.add(world.central)
        return world.central_manager
    if role == "lead_staff":
        Activity.objects.filter(pk=world.activity.pk).update(lead_agency=world.department)
        return world.department_staff
    return getattr(world, role)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_permission_matrix(client, world, page, role):
    page.setup(world)
    if role:
        client.force_login(user_in(world, role))
    url = page.url(world)
    before = page.state(world) if page.state else None
    if page.mode == "read":
        response = client.get(url)
    else:
        response = client.post(url, page.data(world))
    expected = page.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif expected == OK:
        assert response.status_code == (200 if page.mode == "read" else 302)
        if page.mode == "write":
            assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    if page.state:
        changed = page.state(world) != before
        assert changed == (expected == OK), (
            "a refused write changed data (or an allowed one did not)"
        )


def test_staff_of_a_supporting_agency_reports_on_their_activity_only(client, world):
    """A department that supports one activity reports progress on it, but neither changes nor
    deletes it (the lead agency's), nor adds to or submits the plan, nor touches the other
    activities; its page and the plan's offer it the progress form only."""
    theirs = make_activity(
        world.plan, lead_agency=world.ethnic, supporting_agencies=[world.department]
    )
    client.force_login(world.department_staff)
    for name in ["activity_edit", "activity_delete"]:
        url = reverse(f"coordination:{name}", args=[theirs.pk])
        assert client.get(url).status_code == 403
        refused = client.post(url, activity_post(world) | {"lead_agency": world.department.pk})
        assert refused.status_code == 403
    theirs.refresh_from_db()
    assert (theirs.lead_agency, theirs.version) == (world.ethnic, 1)
    detail = client.get(theirs.get_absolute_url()).content.decode()
    plan_page = client.get(world.plan.get_absolute_url()).content.decode()
    for page in [detail, plan_page]:
        assert reverse("coordination:progress_create", args=[theirs.pk]) in page
        assert reverse("coordination:activity_edit", args=[theirs.pk]) not in page
        assert reverse("coordination:activity_delete", args=[theirs.pk]) not in page
    response = client.post(
        reverse("coordination:progress_create", args=[theirs.pk]),
        {
            "reported_on": "2024-06-01",
            "status": "in_progress",
            "percent": "20",
            "budget_spent": "0",
        },
    )
    assert response.status_code == 302
    for url in [
        reverse("coordination:activity_edit", args=[world.activity.pk]),
        reverse("coordination:activity_create", args=[world.plan.pk]),
    ]:
        assert client.get(url).status_code == 403
    assert client.post(reverse("coordination:plan_submit", args=[world.plan.pk])).status_code == 403
    make_progress(theirs, author=world.staff)
    assert ProgressUpdate.objects.filter(activity=theirs).count() == 2


def test_the_superuser_reads_every_plan_but_is_offered_no_step(client, world):
    """Reading everything, the administrator sees each plan's page without a button to submit,
    decide, reopen, add or change an activity, or report progress: those belong to the
    agencies' members."""
    approved(world)
    root = user_in(world, "superuser")
    client.force_login(root)
    for plan in [world.plan, world.other_plan]:
        page = client.get(plan.get_absolute_url())
        assert page.status_code == 200
    page = client.get(world.plan.get_absolute_url()).content.decode()
    for action in ["plan_submit", "plan_approve", "plan_return", "plan_reopen", "activity_create"]:
        assert reverse(f"coordination:{action}", args=[world.plan.pk]) not in page, action
    for action in ["activity_edit", "activity_delete", "progress_create"]:
        assert reverse(f"coordination:{action}", args=[world.activity.pk]) not in page, action
    detail = client.get(world.activity.get_absolute_url()).content.decode()
    assert reverse("coordination:activity_edit", args=[world.activity.pk]) not in detail
    assert reverse("coordination:progress_create", args=[world.activity.pk]) not in detail
    assert 'name="reported_on"' not in detail
    services.plan_reopen(plan=world.plan, by=world.manager, reason="Bổ sung")
    steps = [
        reverse("coordination:plan_submit", args=[world.plan.pk]),
        reverse("coordination:activity_create", args=[world.plan.pk]),
        reverse("coordination:activity_edit", args=[world.activity.pk]),
    ]
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert not any(step in page for step in steps)
    client.force_login(world.staff)  # a party's staff is offered them on the same draft
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert all(step in page for step in steps)


def test_the_403_page_says_which_rule_refused(client, world):
    """A refused page names the rule (the policy's refusal), not only "no permission"."""
    theirs = make_activity(
        world.plan, lead_agency=world.ethnic, supporting_agencies=[world.department]
    )
    client.force_login(world.department_staff)
    response = client.get(reverse("coordination:activity_edit", args=[theirs.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không có quyền" in page
    assert "mới được sửa, xóa hoạt động này." in page
