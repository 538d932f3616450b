"""Pagination of the API lists: limit up to 100 (NINJA_PAGINATION_MAX_LIMIT), offset bounded.

A database refuses an offset past 64 bits; the bound turns it into a 422, not a 500.
"""

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
