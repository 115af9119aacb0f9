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
    # The user's rights, read once per request (`settings.PERMISSION_RULES_KEY`), first.
    policy.get_for(owner, pk=mine.pk)
    policy.get_for(root, pk=mine.pk)
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
    policy.get_for(owner, pk=mine.pk)  # the user's rights, read once per request
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


# --- the rules' compiled SQL, kept per process (issue 18, fourth pass) -----------------------
def counting(rule):
    """`rule`, counting how often it is built."""

    def counted(jobs, user):
        counted.calls += 1
        return rule(jobs, user)

    counted.calls = 0
    return counted


def test_a_rule_is_built_once_per_user_and_rights_and_reads_the_rows_as_they_are_now(people):
    owner, stranger, root, mine, theirs = people
    stop = counting(own_jobs)
    counted = Policy(Job, {READ: "visible_to", "stop": stop})
    assert counted.allowed(owner, mine, ["stop"]) == {"stop"}
    assert counted.allows(owner, mine, "stop") and not counted.allows(owner, theirs, "stop")
    assert counted.get_for(owner, "stop", pk=mine.pk) == mine
    assert stop.calls == 2  # built twice at the first question, to compare
    # The rows are read at every question: the job given to another is refused at once.
    Job.objects.filter(pk=mine.pk).update(owner=stranger)
    assert counted.allowed(owner, mine, ["stop"]) == set()
    with pytest.raises(Http404):  # no longer theirs to read either
        counted.get_for(owner, "stop", pk=mine.pk)
    # Another user is another key: their own rule, never the first user's SQL.
    assert counted.allows(stranger, mine, "stop")
    assert stop.calls == 4


def test_a_user_made_superuser_or_no_longer_active_is_another_key(people, django_user_model):
    owner, stranger, root, mine, theirs = people
    assert not policy.allows(owner, theirs, READ)
    owner = django_user_model.objects.get(pk=owner.pk)  # the next request's user
    owner.is_superuser = True
    assert policy.allows(owner, theirs, READ)
    owner = django_user_model.objects.get(pk=owner.pk)
    owner.is_active = False
    assert not policy.allows(owner, mine, READ)


def test_a_rule_that_reads_the_database_or_the_clock_is_built_at_every_question(people):
    owner, stranger, root, mine, theirs = people

    def titled(jobs, user):  # reads the database while it is built
        return jobs.filter(
            pk__in=list(Job.objects.filter(title="Của Lan").values_list("pk", flat=True))
        )

    from django.utils import timezone

    def recent(jobs, user):  # puts the time in its SQL
        return jobs.filter(created_at__lte=timezone.now())

    read_db = counting(titled)
    clock = counting(recent)
    odd = Policy(Job, {READ: "visible_to", "named": read_db, "recent": clock})
    assert odd.allows(owner, mine, "named") and not odd.allows(owner, theirs, "named")
    Job.objects.filter(pk=theirs.pk).update(title="Của Lan")
    assert odd.allows(owner, theirs, "named")
    assert odd.allows(owner, mine, "recent") and odd.allows(owner, mine, "recent")
    assert read_db.calls == 4 and clock.calls == 3  # twice at the first question, to compare
