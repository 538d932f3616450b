"""Pagination of the API lists: limit up to 100 (NINJA_PAGINATION_MAX_LIMIT), offset bounded.

A database refuses an offset past 64 bits; the bound turns it into a 422, not a 500.
"""

from django.db.models import Count, Window
from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CountedInOnePass(BoundedLimitOffset):
    """The same pages, read together with their total (``COUNT(*) OVER ()``): one query
    instead of two, for lists of rows (``values()``) asked on every screen.

    Not for querysets made DISTINCT or aggregated: the window counts before them."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        rows = list(queryset.annotate(list_total=Window(Count("*")))[offset : offset + limit])
        # Past the last page no row carries the total: count it apart.
        total = rows[0]["list_total"] if rows else queryset.count() if offset else 0
        return {self.items_attribute: rows, "count": total}
