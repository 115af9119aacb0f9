"""The 404-then-403 fetch every app's permission check is built on. The rules themselves stay in
each app's QuerySet methods (`visible_to`, `editable_by`, …); this only applies them in order."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

Narrowing = Callable[[models.QuerySet], models.QuerySet]


def get_or_refuse(
    queryset: models.QuerySet,
    *,
    readable: Narrowing,
    permitted: Narrowing | None = None,
    refusal: str = "",
    **lookup,
) -> models.Model:
    """The object matching `lookup` among `readable(queryset)`, else 404 (so a title never
    leaks); when `permitted` is given, it must also be among `permitted(...)`, else 403 with
    `refusal` (the user may see it but not do this)."""
    obj = get_object_or_404(readable(queryset), **lookup)
    if permitted is not None and not permitted(queryset.model.objects.filter(pk=obj.pk)).exists():
        raise PermissionDenied(refusal)
    return obj
