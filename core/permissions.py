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
in the apps' QuerySet methods; this only applies them. Whether the object's state allows the
step (a submitted plan, a finalised report) is the model's predicate, asked by the service and
by the page's permission summary alike.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
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
        return self.instances(user, action).filter(pk=obj.pk).exists()

    def allowed(self, user, obj: M, actions: Iterable[str]) -> frozenset[str]:
        """Which of `actions` `user` may do on `obj`, asked in one query (a page showing
        several buttons)."""
        actions = list(actions)
        if not actions:
            return frozenset()
        # Ordered by pk: `first()` would otherwise sort this one row by the model's default
        # ordering, which for an activity joins its plan, program and task area for nothing.
        row = (
            self.model._default_manager.filter(pk=obj.pk)
            .order_by("pk")
            .values(**{f"may_{i}": self._allows_row(user, a) for i, a in enumerate(actions)})
            .first()
        )
        return frozenset(a for i, a in enumerate(actions) if row and row[f"may_{i}"])

    def _allows_row(self, user, action: str) -> Exists:
        """Whether `user` may do `action` on the row of the outer query (an EXISTS)."""
        return Exists(self.instances(user, action).filter(pk=OuterRef("pk")))

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
