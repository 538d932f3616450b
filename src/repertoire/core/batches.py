"""Queries over a list of any length: a database binds a limited number of parameters in
one statement (PostgreSQL 65,535, SQLite 32,766), so ``field__in=ids`` over a list that
grows with the data (100,000 employees of a file) is asked in batches.

Duck-typed on the queryset (``filter(**lookups)``): the core imports no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

# Values bound in one ``IN (…)`` list: far below every database's limit, leaving room for
# the query's other parameters; a few queries for the largest files.
QUERY_BATCH = 5_000
# Proposals one bulk acceptance may validate (and one undo restore): the largest
# establishment's staff in one batch; beyond, the person narrows the worklist's filters.
ACCEPTANCE_BATCH_MAX = 10_000

T = TypeVar("T")


def batched(values: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """The values in lists of at most ``size`` (``QUERY_BATCH``), each value once, in
    their order."""
    size = size or QUERY_BATCH
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def filter_in(queryset: Any, field: str, values: Iterable, size: int | None = None) -> Iterator:
    """``queryset.filter(<field>__in=values)`` as one queryset per batch of values: iterate
    over each (rows), or ``update()`` / ``delete()`` each. Nothing when there is no value."""
    for batch in batched(values, size):
        yield queryset.filter(**{f"{field}__in": batch})


def rows_in(queryset: Any, field: str, values: Iterable, size: int | None = None) -> list:
    """Every row of ``queryset.filter(<field>__in=values)``, read in batches."""
    return [row for part in filter_in(queryset, field, values, size) for row in part]
