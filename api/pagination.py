from functools import cached_property, partial

from django.conf import settings
from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class CountedPaginator(Paginator):
    """A paginator whose total comes from `count()` when given: a view may count a cheaper
    queryset holding the same rows (without joins that only shape each row)."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count() if self._count is not None else super().count


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`: API_PAGE_SIZE rows by default, at most API_MAX_PAGE_SIZE."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        count = getattr(view, "row_count", None)
        self.django_paginator_class = partial(CountedPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)
