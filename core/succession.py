"""Successor chains: provinces and agencies are merged and renamed, and their history must roll
up under whoever carries them on today."""

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from django.db import models
from django.db.models import Value

from .prepared import PreparedQuery


def ids_of(items) -> set[int]:
    """Primary keys of a model instance, a queryset or an iterable of ids/instances."""
    if isinstance(items, models.Model):
        return {items.pk}
    if isinstance(items, models.QuerySet):
        return set(items.values_list("pk", flat=True))
    return {item.pk if isinstance(item, models.Model) else item for item in items}


def successor_links(model: type[models.Model]) -> dict[int, list[int]]:
    """successor id → ids of the rows of `model` it directly carries on. One query over the
    rows that have a successor (63 old provinces, the merged agencies): cheaper than walking
    the chains with a query per generation, and reusable for several sets of ids."""
    return successor_links_of(model)[0]


def successor_links_of(*tables: type[models.Model]) -> list[dict[int, list[int]]]:
    """`successor_links` of each of `tables`, read in one query (every signed-in request reads
    the agencies' and the provinces' links: `agencies.access.access_for`)."""
    links: list[dict[int, list[int]]] = [defaultdict(list) for _ in tables]
    for index, pk, successor_id in _links_query(tables)():
        links[index][successor_id].append(pk)
    return links


@cache
def _links_query(tables: tuple[type[models.Model], ...]) -> PreparedQuery:
    # Compiled once per process (core.prepared): the SQL has no values, only the rows change.
    def build():
        parts = [
            model._base_manager.exclude(successor=None)
            .order_by()
            .annotate(link_of=Value(index))
            .values_list("link_of", "pk", "successor_id")
            for index, model in enumerate(tables)
        ]
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    return PreparedQuery(build)


def with_predecessors(links: dict[int, list[int]], ids: Iterable[int]) -> set[int]:
    """`ids` and every id whose successor chain in `links` leads to one of them."""
    found = set(ids)
    frontier = list(found)
    while frontier:
        frontier = [
            pk for successor in frontier for pk in links.get(successor, ()) if pk not in found
        ]
        found.update(frontier)
    return found


def with_predecessor_ids(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """`ids` and every row of `model` whose `successor` chain leads to one of them."""
    return with_predecessors(successor_links(model), ids)


def last_successor(item, *, successor_of=None, stop=None):
    """The row that carries `item` on today: the end of its `successor` chain (itself when it
    has none). A chain that loops back stops where it would repeat. With `stop(row)`, the walk
    ends at the first row for which it is true (the row carrying `item` on a past date).

    `successor_of(row)` gives the next row of the chain; by default the `successor` foreign key
    (a query per generation unless it was fetched). Pass a look-up over rows already loaded to
    walk every chain of a table without a query (the dashboards' province roll-up)."""
    step = successor_of or (lambda row: row.successor)
    seen = set()
    while item.successor_id and item.pk not in seen and not (stop and stop(item)):
        seen.add(item.pk)
        item = step(item)
    return item
