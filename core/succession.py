"""Successor chains: provinces and agencies are merged and renamed, and their history must roll
up under whoever carries them on today."""

from collections.abc import Iterable

from django.db import models


def ids_of(items) -> set[int]:
    """Primary keys of a model instance, a queryset or an iterable of ids/instances."""
    if isinstance(items, models.Model):
        return {items.pk}
    if isinstance(items, models.QuerySet):
        return set(items.values_list("pk", flat=True))
    return {item.pk if isinstance(item, models.Model) else item for item in items}


def with_predecessor_ids(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """`ids` and every row of `model` whose `successor` chain leads to one of them.

    One query per generation: a chain is one or two links deep in practice."""
    found = set(ids)
    frontier = set(found)
    while frontier:
        frontier = set(
            model._base_manager.filter(successor_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def last_successor(item):
    """The row that carries `item` on today: the end of its `successor` chain (itself when it
    has none). A chain that loops back stops where it would repeat."""
    seen = set()
    while item.successor_id and item.pk not in seen:
        seen.add(item.pk)
        item = item.successor
    return item
