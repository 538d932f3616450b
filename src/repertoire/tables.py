"""The product's list tables: sortable columns and numbered pages, in the URL.

A view names the columns that may be sorted (a whitelist: the URL never reaches ORDER BY
directly), and hands its rows and the request to ``table``:

    listing = table(request, employees, sorts={"nom": ("last_name", "first_name"),
                                                "niveau": ("current_level",)},
                    per_page=50)
    render(request, "...", {"table": listing, "page": listing.page})

``?tri=nom&ordre=desc&page=3`` sorts on the server, stably (the primary key breaks ties),
and every link the table builds (headers, first/previous/next/last page) keeps the other
query parameters (filters, view). An unknown sort key is ignored: the rows keep the order
the view gave them. Rows may be a queryset (sort keys are field paths) or a list (sort
keys are functions of a row).

Templates: ``{% include "_sort_header.html" with column=table.columns.nom label=_("Name") %}``
for a header, ``{% include "_pager.html" with page=table.page %}`` for the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

SORT = "tri"
DIRECTION = "ordre"
ASCENDING = "asc"
DESCENDING = "desc"
PAGE = "page"

SortKey = Sequence[str] | Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """A sortable header: where its link leads, and whether it sorts the rows now."""

    url: str
    sorted: bool
    ascending: bool

    @property
    def aria_sort(self) -> str:
        if not self.sorted:
            return ""
        return "ascending" if self.ascending else "descending"


@dataclass(frozen=True)
class Table:
    page: Page
    sort: str  # the sort key in force ("" when the view's own order applies)
    direction: str  # ASCENDING or DESCENDING
    params: Any  # the request's query parameters (a QueryDict)
    keys: tuple[str, ...] = ()

    @property
    def columns(self) -> dict[str, Column]:
        return {
            key: Column(
                url=self.sort_url(key),
                sorted=key == self.sort,
                ascending=self.direction == ASCENDING,
            )
            for key in self.keys
        }

    def url(self, **changes) -> str:
        """This page's query string with ``changes`` (a value of None drops the key)."""
        params = self.params.copy()
        for key, value in changes.items():
            params.pop(key, None)
            if value is not None:
                params[key] = str(value)
        for key in [key for key, value in params.items() if value == ""]:
            params.pop(key)
        return "?" + params.urlencode()

    def sort_url(self, key: str) -> str:
        """Sort on ``key``, ascending, or the other way when it already sorts the rows; back
        to the first page."""
        direction = DESCENDING if self.sort == key and self.direction == ASCENDING else ASCENDING
        return self.url(**{SORT: key, DIRECTION: direction, PAGE: None})

    def page_url(self, number: int) -> str:
        return self.url(**{PAGE: number})

    @property
    def first_url(self) -> str:
        return self.page_url(1)

    @property
    def previous_url(self) -> str:
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else ""

    @property
    def last_url(self) -> str:
        return self.page_url(self.page.paginator.num_pages)

    @property
    def query(self) -> str:
        """The query string without the page (for a form's way back to this list)."""
        return self.url(**{PAGE: None})[1:]


def table(
    request,
    rows,
    *,
    sorts: dict[str, SortKey],
    per_page: int,
    default: str = "",
    default_direction: str = ASCENDING,
) -> Table:
    params = request.GET
    sort = params.get(SORT, "")
    direction = params.get(DIRECTION, "")
    if sort not in sorts:
        sort, direction = default, default_direction
    if direction not in (ASCENDING, DESCENDING):
        direction = ASCENDING
    if sort:
        rows = _sorted(rows, sorts[sort], descending=direction == DESCENDING)
    page = Paginator(rows, per_page).get_page(params.get(PAGE))
    return Table(page=page, sort=sort, direction=direction, params=params, keys=tuple(sorts))


def _sorted(rows, key: SortKey, *, descending: bool):
    if isinstance(rows, QuerySet):
        fields = (key,) if isinstance(key, str) else tuple(key)
        order = [
            F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
            for field in fields
        ]
        return rows.order_by(*order, "pk")
    # A list: Python's sort is stable, the view's order breaks ties (also when reversed).
    missing = [row for row in rows if key(row) is None]
    present = [row for row in rows if key(row) is not None]
    return sorted(present, key=key, reverse=descending) + missing
