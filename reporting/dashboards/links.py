"""The URLs behind dashboard numbers: the list of what a number counts, with the same filters."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, reverse

from reporting.figures import Filters

from .forms import query_string


@lru_cache(maxsize=16)
def _path(name: str, script_prefix: str) -> str:
    # A national overview links some 700 numbers; reverse() each time took a quarter of it.
    return reverse(f"reporting:{name}")


def activities_url(filters: Filters, **extra) -> str:
    path = _path("activities", get_script_prefix())
    return f"{path}?{query_string(filters, **extra)}"


def plans_url(filters: Filters, **extra) -> str:
    return f"{_path('plans', get_script_prefix())}?{query_string(filters, **extra)}"


def cooperatives_url(filters: Filters, **extra) -> str:
    path = _path("cooperatives", get_script_prefix())
    return f"{path}?{query_string(filters, **extra)}"


def link_maker(name: str) -> Callable[..., str]:
    """`activities_url` (name "activities"), `plans_url` ("plans") or `cooperatives_url`
    ("cooperatives") with the request's script prefix looked up once: a table that links a
    thousand numbers (the indicators') spent a third of its time in `get_script_prefix`."""
    path = _path(name, get_script_prefix())

    def url(filters: Filters, **extra) -> str:
        return f"{path}?{query_string(filters, **extra)}"

    return url
