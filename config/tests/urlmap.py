"""The URL map as the sweeps walk it (test_url_sweep, test_fuzz): every concrete pattern with
its full regex and converters, concrete URLs for a pattern filled from given ids and words, and
the row counts of every table."""

import itertools
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

ID_NAMES = ("pk", "id", "object_id")
# An id no table reaches (spread_ids gives each table 10,000 ids from 10,000 × its rank).
MISSING_ID = "99999999"


@dataclass
class Route:
    name: str
    pattern: URLPattern
    regex: str
    converters: dict


def routes() -> list[Route]:
    """Every concrete pattern of the URL map with its full regex and converters."""
    found = []

    def walk(patterns, prefix, converters, namespace):
        for entry in patterns:
            regex = prefix + entry.pattern.regex.pattern.lstrip("^").removesuffix(r"\Z")
            convs = {**converters, **getattr(entry.pattern, "converters", {})}
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, regex.removesuffix("$"), convs, ns)
            else:
                name = f"{namespace}{entry.name}" if entry.name else f"<{entry.lookup_str}>"
                found.append(Route(name, entry, regex.removesuffix("$"), convs))

    walk(get_resolver().url_patterns, "", {}, "")
    return found


def is_id(param: str) -> bool:
    return param in ID_NAMES or param.endswith(("_id", "_pk"))


def candidate_urls(
    route: Route, ids: list[int], words: list[str] | None = None, *, every_pair: bool = False
) -> list[tuple[str, str | None]]:
    """Concrete URLs for a route as (url, twin): every one of `ids` for an id parameter;
    `words` (default: app labels and plain words) and the ids for the others, kept only where
    they resolve. A route of several parameters gets the values side by side, or with
    `every_pair` every combination (words first). The twin is the same URL with ids that exist
    nowhere (`MISSING_ID`), for a URL that names a record by id; None otherwise."""
    template, params = normalize(route.regex)[0]
    if not params:
        return [("/" + template, None)]
    if words is None:
        words = [app.label for app in apps.get_app_configs()] + ["x", str(uuid.uuid4())]
    pools, id_params = [], set()
    for param in params:
        converter = route.converters.get(param)
        if isinstance(converter, UUIDConverter):
            pools.append([str(uuid.uuid4())])
        elif isinstance(converter, IntConverter) or is_id(param):
            pools.append([str(i) for i in ids])
            id_params.add(param)
        elif every_pair:
            pools.append(words + [str(i) for i in ids])
        else:
            pools.append([str(i) for i in ids] + words)
    urls = []
    combine = itertools.product if len(params) == 1 or every_pair else zip
    for values in combine(*pools):
        filled = dict(zip(params, values, strict=True))
        url = "/" + template % filled
        try:
            if resolve(url).func is not route.pattern.callback:
                continue
        except Resolver404:
            continue
        twin = None
        if any(is_id(p) for p in params):
            twin = "/" + template % {**filled, **dict.fromkeys(id_params, MISSING_ID)}
        urls.append((url, twin))
    assert urls, f"the sweep cannot fill {route.name} ({route.regex}): give it a value"
    return urls


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def spread_ids() -> None:
    """Give every table's next id its own range (10000, 20000, ...), so a record created now
    has an id no row of another table has, and an id names one record only."""
    tables = {
        model._meta.db_table: model
        for model in apps.get_models()
        if model._meta.managed
        and model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    }
    with connection.cursor() as cursor:
        for index, table in enumerate(sorted(tables), 1):
            start = index * 10_000
            if connection.vendor == "postgresql":
                # Never below the rows already there: PostgreSQL's sequences are not rolled
                # back with a test, so an earlier test's range may already hold this test's rows.
                highest = tables[table]._base_manager.aggregate(highest=Max("pk"))["highest"]
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, max(start, highest or 0)],
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start]
                )
