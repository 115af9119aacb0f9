"""One permission idiom for every app, after Wagtail's permission policies.

Each app configures a `Policy` per model in its `permissions.py`, naming for each action the
QuerySet method (or a function) that keeps what a user may act on:

    plan_policy = Policy(
        YearlyPlan,
        {READ: "visible_to", WRITE: "editable_by", "approve": "approvable_by"},
        refusals={WRITE: WRITE_REFUSAL, "approve": _("Chỉ lãnh đạo …")},
    )

and every view, task and page asks it the same questions:

- `instances(user, action)`: which instances may this user act on (a QuerySet);
- `allows(user, obj, action)`: may this user act on this one (to show a button);
- `allows_any(user, action)`: may they act on any at all (to offer an entry point);
- `get_for(user, action, pk=…)`: fetch one for a view — 404 when the user may not even read
  it (so a title never leaks), 403 with the action's message when they may read it but not do
  the action.

Actions are plain names; a policy refuses a name it was not configured with. The rules stay
in the apps' QuerySet methods; this only applies them.

Asked about one object (`get_for`, `allows`, `allowed`), a rule is a condition on that row
(an EXISTS over the rule's QuerySet). Building and compiling it with the ORM cost 4–8 ms of CPU
per question, twenty times what the database takes to answer, so the compiled condition is kept
per process, for the user's rights as they are now (`settings.PERMISSION_RULES_KEY`, e.g. the
memberships read at this request), the user, the action and the day (`_RuleSQL`). Only SQL
text is kept: the rows it reads (parties, lead agencies…) are read at every question, and a
changed membership is a new key, so no right is stale. A rule that reads the database while it
is built, or puts the time of day in its SQL, is not kept (it is built at every question). Whether the object's state allows the
step (a submitted plan, a finalised report) is the model's predicate, asked by the service and
by the page's permission summary alike.
"""

import datetime
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from threading import Lock
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured, PermissionDenied
from django.db import connections, models, router
from django.db.models import BooleanField, Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)

READ = "read"
WRITE = "write"
WRITE_REFUSAL = _("Bạn được xem nhưng không được thay đổi nội dung này.")

# A rule: the name of a QuerySet method taking the user, or a function (queryset, user) → the
# queryset narrowed to what the user may do.
Rule = str | Callable[[models.QuerySet, Any], models.QuerySet]


class Policy(Generic[M]):
    """Who may do which action on the instances of `model`.

    `rules` maps each action name to its `Rule`; `read` is required (it decides 404 against
    403). `refusals` gives the message of the 403 for an action."""

    def __init__(
        self,
        model: type[M],
        rules: Mapping[str, Rule],
        *,
        refusals: Mapping[str, str] | None = None,
    ):
        if READ not in rules:
            raise ImproperlyConfigured(f"{model.__name__} policy: no '{READ}' rule")
        refusals = dict(refusals or {})
        unknown = set(refusals) - set(rules)
        if unknown:
            raise ImproperlyConfigured(f"{model.__name__} policy: refusals for {sorted(unknown)}")
        self.model = model
        self.rules = dict(rules)
        self.refusals = refusals

    def __repr__(self) -> str:
        return f"<Policy {self.model.__name__}: {', '.join(self.rules)}>"

    def instances(self, user, action: str, queryset: models.QuerySet | None = None):
        """`queryset` (by default every instance) narrowed to those `user` may do `action` on."""
        try:
            rule = self.rules[action]
        except KeyError:
            raise ValueError(f"{self!r} knows no action '{action}'") from None
        if queryset is None:
            queryset = self.model._default_manager.all()
        elif not issubclass(queryset.model, self.model):
            raise ValueError(f"{self!r} asked about {queryset.model.__name__}")
        if isinstance(rule, str):
            return getattr(queryset, rule)(user)
        return rule(queryset, user)

    def allows(self, user, obj: M, action: str) -> bool:
        """Whether `user` may do `action` on `obj` (one query)."""
        return action in self.allowed(user, obj, (action,))

    def allowed(self, user, obj: M, actions: Iterable[str]) -> frozenset[str]:
        """Which of `actions` `user` may do on `obj`, asked in one query (a page showing
        several buttons)."""
        actions = list(actions)
        if not actions:
            return frozenset()
        # The compiled conditions side by side for the one row: SQL of no rule's own (the
        # rules are the conditions), and nothing for the ORM to build per question.
        using = router.db_for_read(self.model)
        connection = connections[using]
        conditions = [_RULE_SQL.get(self, user, action) for action in actions]
        table = connection.ops.quote_name(self.model._meta.db_table)
        pk = self.model._meta.pk
        sql = "SELECT {} FROM {} WHERE {}.{} = %s".format(  # noqa: S608 (quoted names, compiled SQL)
            ", ".join(f"({condition})" for condition, _params in conditions),
            table,
            table,
            connection.ops.quote_name(pk.column),
        )
        params = [param for _condition, params in conditions for param in params]
        params.append(pk.get_db_prep_value(obj.pk, connection))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return frozenset(a for a, may in zip(actions, row or (), strict=False) if may)

    def _allows_row(self, user, action: str) -> RawSQL:
        """Whether `user` may do `action` on the row of the outer query (an EXISTS over the
        rule, compiled once for the user's rights as they are now: `_RuleSQL`). The outer
        query's table must be the model's own, under its own name (a top-level query on the
        model or a proxy of it)."""
        sql, params = _RULE_SQL.get(self, user, action)
        # The ORM's own compiled SQL, its values as parameters: nothing from the request.
        return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611

    def _compile_row_rule(self, user, action: str, using: str) -> tuple[str, tuple]:
        """The SQL of `Exists(rule.filter(pk=OuterRef("pk")))` inside a query on the model."""
        outer = self.model._default_manager.using(using).all().query
        exists = Exists(self.instances(user, action).filter(pk=OuterRef("pk")))
        compiler = outer.get_compiler(using=using)
        try:
            sql, params = compiler.compile(exists.resolve_expression(outer))
        except EmptyResultSet:  # the rule is `none()`: no row
            return "1 = 0", ()
        return sql, tuple(params)

    def _same_table(self, queryset: models.QuerySet) -> bool:
        """Whether `queryset` reads the model's own table (the model or a proxy of it), where
        the compiled row condition applies as it is."""
        return queryset.model._meta.db_table == self.model._meta.db_table

    def allows_any(self, user, action: str) -> bool:
        """Whether `user` may do `action` on at least one instance (one query)."""
        return self.instances(user, action).exists()

    def get_for(
        self, user, action: str = READ, queryset: models.QuerySet | None = None, **lookup
    ) -> M:
        """The object matching `lookup` among `queryset` (which may add `select_related` and
        the like) if `user` may do `action` on it: 404 when they may not read it, 403 with the
        action's refusal when they may read it but not do `action`. An action the policy does
        not know is an error before anything is fetched."""
        if action not in self.rules:
            raise ValueError(f"{self!r} knows no action '{action}'")
        if queryset is None:
            queryset = self.model._default_manager.all()
        if self._same_table(queryset):
            readable = queryset.filter(self._allows_row(user, READ))
        else:
            readable = self.instances(user, READ, queryset)
        if action == READ:
            return get_object_or_404(readable, **lookup)
        # One query: the object with whether the action is allowed on it (an EXISTS beside it),
        # not a fetch and then a second query asking about the action.
        obj = get_object_or_404(
            readable.annotate(_policy_allows=self._allows_row(user, action)), **lookup
        )
        allowed = obj.__dict__.pop("_policy_allows")
        if not allowed:
            raise PermissionDenied(self.refusals.get(action, ""))
        return obj

    def require_any(self, user, action: str) -> None:
        """403 with the action's refusal unless `user` may do `action` on some instance."""
        if not self.allows_any(user, action):
            raise PermissionDenied(self.refusals.get(action, ""))


class _RuleSQL:
    """The compiled row conditions of the policies' rules, per process (see the module's
    docstring). Keyed by the policy, the action, the database, the user (its id, whether it is
    a superuser or staff), the rights `settings.PERMISSION_RULES_KEY` gives for the user (the
    memberships and successor links read at this request), and today's date; the least recently
    used of `size` entries goes first. Without the setting nothing is kept."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._entries: OrderedDict[tuple, tuple[str, tuple]] = OrderedDict()
        self._uncacheable: set[tuple] = set()
        self._lock = Lock()

    def get(self, policy: Policy, user, action: str) -> tuple[str, tuple]:
        """The SQL and parameters of `action`'s row condition on `policy` for `user`."""
        if action not in policy.rules:
            raise ValueError(f"{policy!r} knows no action '{action}'")
        using = router.db_for_read(policy.model)
        rights = _rights_key()
        if rights is None or (policy, action) in self._uncacheable:
            return policy._compile_row_rule(user, action, using)
        key = (
            policy,
            action,
            using,
            getattr(user, "pk", None),
            getattr(user, "is_superuser", False),
            getattr(user, "is_staff", False),
            rights(user),
            timezone.localdate(),
        )
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        queries = []
        with connections[using].execute_wrapper(
            lambda execute, sql, params, many, context: (
                queries.append(sql) or execute(sql, params, many, context)
            )
        ):
            compiled = policy._compile_row_rule(user, action, using)
            # Built twice: a rule that puts the time in its SQL differs from one build to the
            # next (on SQLite the time is already text here).
            again = policy._compile_row_rule(user, action, using)
        if (
            queries
            or again != compiled
            or any(isinstance(p, datetime.datetime | datetime.time) for p in compiled[1])
        ):
            # Built from what the database said, or from the clock: right only now.
            self._uncacheable.add((policy, action))
            return compiled
        with self._lock:
            self._entries[key] = compiled
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._uncacheable.clear()


@cache
def _rights_key() -> Callable[[Any], Any] | None:
    path = getattr(settings, "PERMISSION_RULES_KEY", None)
    return import_string(path) if path else None


_RULE_SQL = _RuleSQL()
