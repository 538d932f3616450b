"""What the race tests share: running writes on threads of their own (each with its own
database connection), released together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from repertoire.core.refusals import Conflict


def postgres_only() -> None:
    """Row locks are PostgreSQL's: SQLite's write transactions take the whole database
    (tested apart, test_sqlite_writers)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions on PostgreSQL")


@dataclass
class Outcome:
    result: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def conflict(self) -> bool:
        return isinstance(self.error, Conflict)


def together(*calls: Callable[[], Any], timeout: float = 60) -> list[Outcome]:
    """Each call on a thread of its own, all released at once; their outcomes in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index].result = call()
        except BaseException as exc:  # the test reads it
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a write never finished (a deadlock?)"
    return outcomes


def unexpected(outcomes: list[Outcome]) -> list[BaseException]:
    """Errors other than a lost race told as a conflict."""
    return [o.error for o in outcomes if o.error is not None and not o.conflict]
