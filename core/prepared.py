"""Queries that every request makes, compiled to SQL once per process (issue 18, throughput).

Django builds and compiles a query anew each time it runs one. For the few small reads every
page makes whatever it shows — the session, the user's memberships and the successor links
behind `agencies.access.access_for`, the bell's unread count — that costs 0.5–1 ms of CPU each,
several times what the database takes to answer them: a sixth of a simple page's CPU.

`PreparedQuery` builds the QuerySet once, with placeholder values, keeps the SQL the ORM
compiled from it, and afterwards only puts the request's values in place of the placeholders
and runs that SQL. The rows go through the same converters as the ORM's (dates, booleans on
SQLite). The query itself is still the QuerySet method's: written once, in the ORM, in its
app; nothing is cached but the SQL text, so every request reads the data as it is now.

`PreparedModels` does the same for a read of model instances (fields, `select_related`
objects, annotations), built from the rows as iterating the QuerySet would build them.

Only for queries whose SQL depends on nothing but the placeholders: the placeholders are
whole values (an id, a key), integers or strings, each put in the SQL as a parameter.
A builder that branches on a value (a superuser sees everything) must not be prepared.
"""

from collections.abc import Callable
from threading import local
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models
from django.db.models.query import ModelIterable, get_related_populators

# Values no real request passes: ids are positive, keys are printable. Integers within 32 bits,
# which every integer column takes (a value out of range would compile to "no row").
_INT_PLACEHOLDER = -1_987_650_000
_STR_PLACEHOLDER = "\x1fprepared-{}\x1f"


class _Compiled(NamedTuple):
    compiler: Any  # the SQLCompiler: its converters, and for model reads its columns
    sql: str
    params: tuple
    slots: list[tuple[int, int]]  # (value's index, parameter's position)


class _InstanceLayout(NamedTuple):
    """Where a row's model, related objects and annotations are (`PreparedModels`)."""

    model: type[models.Model]
    init_list: list[str]
    start: int
    end: int
    populators: list
    annotations: tuple[tuple[str, int], ...]


class PreparedQuery:
    """A read compiled once per database connection and then run with new values.

    `build(*values)` returns the query (usually a `values_list`) for the values; `kinds` gives
    each value's type (`int` or `str`). Calling the prepared query with the values returns the
    rows, as tuples, as `list(build(*values))` would for a `values_list`::

        unread = PreparedQuery(
            lambda user_id: Notification.objects.filter(user_id=user_id, read_at=None)
            .values_list("pk"), int
        )
        rows = unread(request.user.pk)
    """

    def __init__(self, build: Callable[..., models.QuerySet], *kinds: type, using: str = "default"):
        if any(kind not in (int, str) for kind in kinds):
            raise ImproperlyConfigured("PreparedQuery: placeholders are int or str values")
        self.build = build
        self.kinds = kinds
        self.using = using
        # Per thread, as Django's connections are: the compiler keeps the connection it was
        # compiled for (its converters), so a new connection compiles again.
        self._local = local()

    def __call__(self, *values: Any) -> list[tuple]:
        compiled, rows = self._run(values)
        return list(compiled[0].compiler.results_iter(results=[rows], tuple_expected=True))

    def _run(self, values: tuple) -> tuple[tuple[_Compiled, Any], list]:
        """The compiled query for this thread's connection and its rows for `values`."""
        if len(values) != len(self.kinds) or any(
            type(value) is not kind for value, kind in zip(values, self.kinds, strict=True)
        ):
            raise TypeError(f"PreparedQuery expects values of types {self.kinds}, got {values!r}")
        connection = connections[self.using]
        if getattr(self._local, "connection", None) is not connection:
            self._local.compiled = self._compile(connection)
            self._local.connection = connection
        compiled = self._local.compiled
        query = compiled[0]
        params = list(query.params)
        for index, position in query.slots:
            params[position] = values[index]
        with connection.cursor() as cursor:
            cursor.execute(query.sql, params)
            rows = cursor.fetchall()
        return compiled, rows

    def _placeholders(self) -> list:
        return [
            _INT_PLACEHOLDER - i if kind is int else _STR_PLACEHOLDER.format(i)
            for i, kind in enumerate(self.kinds)
        ]

    def _compile(self, connection) -> tuple[_Compiled, Any]:
        """The compiled query, and what a subclass builds its results by (None here)."""
        return self._compile_query(connection, self.build(*self._placeholders())), None

    def _compile_query(self, connection, queryset: models.QuerySet) -> _Compiled:
        placeholders = self._placeholders()
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if any(
            isinstance(param, str) and "\x1fprepared-" in param and param not in placeholders
            for param in params
        ):
            # Changed on its way (`contains` wraps it in %…%): it cannot be swapped whole.
            raise ImproperlyConfigured("PreparedQuery: a placeholder was changed on its way")
        slots = []
        for index, placeholder in enumerate(placeholders):
            positions = [
                position
                for position, param in enumerate(params)
                if type(param) is type(placeholder) and param == placeholder
            ]
            if not positions:
                raise ImproperlyConfigured(
                    f"PreparedQuery: value {index} does not reach the SQL as a parameter"
                )
            slots.extend((index, position) for position in positions)
        return _Compiled(compiler, sql, tuple(params), slots)


class PreparedModels(PreparedQuery):
    """A read of model instances compiled once per database connection, run with new values.

    `build(*values)` returns a QuerySet of model instances (`filter`, `select_related`,
    `annotate`, `only`, `order_by`…); calling the prepared read returns
    `list(build(*values))`: the same instances, made by `Model.from_db` (so their `_state`
    is that of a read), with the same `select_related` objects and annotations. Not
    `prefetch_related` (its queries depend on the rows), nor a related manager's queryset
    (`plan.activities`, whose instances would share the plan): both are refused::

        activities = PreparedModels(
            lambda plan: Activity.objects.filter(plan_id=plan).select_related("task_area"), int
        )
        rows = activities(plan.pk)
    """

    def __call__(self, *values: Any) -> list[models.Model]:
        (query, layout), rows = self._run(values)
        model, init_list, start, end, populators, annotations = layout
        db = self.using
        instances = []
        # As `django.db.models.query.ModelIterable.__iter__` (Django 5.2) builds each row's
        # instance; core/tests/test_prepared.py compares them with the QuerySet's.
        for row in query.compiler.results_iter(results=[rows]):
            instance = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    def _compile(self, connection) -> tuple[_Compiled, _InstanceLayout]:
        queryset = self.build(*self._placeholders())
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
            or queryset.query.combinator
        ):
            raise ImproperlyConfigured(
                "PreparedModels: a plain QuerySet of model instances (no values(), "
                "prefetch_related, related manager or union)"
            )
        compiled = self._compile_query(connection, queryset)
        compiler = compiled.compiler
        # Private API of Django 5.2's SQLCompiler, filled by `as_sql()` (`setup_query`) and
        # read by `ModelIterable`: `select` (the columns, each `(expression, sql, alias)`),
        # `klass_info` (the model, its columns' positions, the select_related models') and
        # `annotation_col_map` (annotation name → column). `get_related_populators` builds
        # the `select_related` objects from a row, as `ModelIterable` does.
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, self.using)
        annotations = tuple(compiler.annotation_col_map.items())
        layout = _InstanceLayout(
            klass_info["model"], init_list, start, end, populators, annotations
        )
        return compiled, layout
