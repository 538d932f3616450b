"""What a write rests on, read again under a lock: two people acting at once are served
one after the other, and the second one sees what the first one did.

A service reads the row it is about to change with ``locked`` (``SELECT … FOR UPDATE`` on
PostgreSQL: the row stays locked until the transaction ends; SQLite's write transactions
begin with the whole database locked, see ``settings.DATABASES``), then checks what the
person saw (a status, a decision) against what the database holds now: when they differ,
the write lost a race and is refused with ``core.refusals.Conflict``, saying what changed.

What the person saw travels with their request as an *etag* (``etag_of``): a page puts
the etag of what it shows in its form, an API client sends back the one it read,
so that a form left open while someone else decided is refused too, not only a request
that raced another.
"""

from __future__ import annotations

import hashlib
from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def locked(instance: M) -> M:
    """``instance`` read again from the database, in place, its row locked until the
    transaction ends (call it inside one). Returns it."""
    manager = type(instance)._base_manager
    instance.refresh_from_db(from_queryset=manager.select_for_update())
    return instance


def lock_rows(queryset: models.QuerySet, *, no_key: bool = False) -> list:
    """The rows of ``queryset``, locked in the order of their keys (two writes locking
    overlapping rows then never wait on each other in a circle). ``no_key``: a lock that
    still lets other rows point to these ones (an insert referring to them)."""
    return list(queryset.select_for_update(no_key=no_key, of=("self",)).order_by("pk"))


def etag_of(kind: str, *values) -> str:
    """A short token of what a person saw (``values``: what a write rests on), opening on
    ``kind`` (a status) so that a refusal can still tell what kind of thing it was."""
    digest = hashlib.sha256(repr(values).encode()).hexdigest()[:16]
    return f"{kind}-{digest}"


def kind_of(etag: str) -> str:
    """The kind an etag opens on (``etag_of``)."""
    return etag.rsplit("-", 1)[0]
