"""The permission policy every app configures (`core.permissions.Policy`), tried on core's own
model: rules given as a QuerySet method name or as a function, the two questions, and the
404-then-403 fetch."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from core.models import Job
from core.permissions import READ, WRITE, Policy

pytestmark = pytest.mark.django_db

REFUSAL = "Chỉ người lập công việc mới được dừng nó."


def own_jobs(jobs, user):
    """Only the owner may stop a job; the superuser reads every job but stops none."""
    return jobs.filter(owner=user)


policy = Policy(
    Job,
    {READ: "visible_to", WRITE: own_jobs, "stop": own_jobs},
    refusals={"stop": REFUSAL},
)


@pytest.fixture
def people(django_user_model):
    def user(name, **extra):
        return django_user_model.objects.create_user(name, password="x", **extra)

    owner, stranger = user("lan"), user("minh")
    root = user("root", is_superuser=True, is_staff=True)
    mine = Job.objects.create(kind="k", title="Của Lan", owner=owner)
    theirs = Job.objects.create(kind="k", title="Của Minh", owner=stranger)
    return owner, stranger, root, mine, theirs


def test_instances_apply_the_rule_named_or_given(people):
    owner, stranger, root, mine, theirs = people
    assert list(policy.instances(owner, READ)) == [mine]
    assert set(policy.instances(root, READ)) == {mine, theirs}
    assert list(policy.instances(root, WRITE)) == []
    # A queryset given is narrowed, keeping its own filters.
    assert list(policy.instances(root, READ, Job.objects.filter(title="Của Minh"))) == [theirs]


def test_allows_answers_for_one_instance_and_allows_any_for_at_least_one(people):
    owner, stranger, root, mine, theirs = people
    assert policy.allows(owner, mine, "stop") and not policy.allows(owner, theirs, "stop")
    assert policy.allows(root, theirs, READ) and not policy.allows(root, theirs, "stop")
    assert policy.allows_any(owner, "stop") and not policy.allows_any(root, "stop")


def test_get_for_is_404_when_unreadable_and_403_with_the_message_when_not_allowed(people):
    owner, stranger, root, mine, theirs = people
    assert policy.get_for(owner, pk=mine.pk) == mine
    assert policy.get_for(owner, "stop", Job.objects.select_related("owner"), pk=mine.pk) == mine
    with pytest.raises(Http404):
        policy.get_for(owner, READ, pk=theirs.pk)
    with pytest.raises(Http404):  # unreadable comes first, whatever the action
        policy.get_for(owner, "stop", pk=theirs.pk)
    with pytest.raises(PermissionDenied) as refused:
        policy.get_for(root, "stop", pk=mine.pk)
    assert str(refused.value) == REFUSAL
    with pytest.raises(PermissionDenied) as refused:
        policy.get_for(root, WRITE, pk=mine.pk)
    assert str(refused.value) == ""  # no message configured for this action
    with pytest.raises(PermissionDenied):
        policy.require_any(root, "stop")
    policy.require_any(owner, "stop")


def test_get_for_asks_about_the_action_in_the_same_query_as_the_fetch(
    people, django_assert_num_queries
):
    owner, stranger, root, mine, theirs = people
    with django_assert_num_queries(1):
        job = policy.get_for(owner, "stop", pk=mine.pk)
    assert job == mine and "_policy_allows" not in job.__dict__
    with django_assert_num_queries(1), pytest.raises(PermissionDenied):
        policy.get_for(root, "stop", pk=mine.pk)
    # A rule that keeps nothing (`none()`) refuses as well.
    nothing = Policy(Job, {READ: "visible_to", "stop": lambda jobs, user: jobs.none()})
    with pytest.raises(PermissionDenied):
        nothing.get_for(owner, "stop", pk=mine.pk)
    assert nothing.allowed(owner, mine, ["stop", READ]) == {READ}


def test_allowed_names_the_actions_permitted_on_one_instance_in_one_query(
    people, django_assert_num_queries
):
    owner, stranger, root, mine, theirs = people
    with django_assert_num_queries(1):
        assert policy.allowed(owner, mine, [READ, WRITE, "stop"]) == {READ, WRITE, "stop"}
    assert policy.allowed(root, mine, [READ, WRITE, "stop"]) == {READ}
    assert policy.allowed(owner, theirs, [READ, "stop"]) == set()
    with django_assert_num_queries(0):
        assert policy.allowed(owner, mine, []) == set()
    with pytest.raises(ValueError, match="approve"):
        policy.allowed(owner, mine, ["approve"])


def test_an_action_or_model_the_policy_does_not_know_is_an_error(people):
    owner, *_rest = people
    with pytest.raises(ValueError, match="approve"):
        policy.instances(owner, "approve")
    with pytest.raises(ValueError, match="approve"):
        # Refused before the fetch, whatever the id (PostgreSQL's ids do not restart per test).
        policy.get_for(owner, "approve", pk=10**9)
    from django.contrib.auth import get_user_model

    with pytest.raises(ValueError, match="User"):
        policy.instances(owner, READ, get_user_model().objects.all())


def test_a_policy_without_a_read_rule_or_with_stray_refusals_is_refused_at_once():
    with pytest.raises(ImproperlyConfigured, match="read"):
        Policy(Job, {WRITE: own_jobs})
    with pytest.raises(ImproperlyConfigured, match="stop"):
        Policy(Job, {READ: "visible_to"}, refusals={"stop": REFUSAL})
