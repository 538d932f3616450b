"""Fixtures of the catalog tests: the two-establishment network of the accounts tests,
and its positionings at every stage."""

from __future__ import annotations

from tests.accounts.conftest import network  # noqa: F401  shared fixture
from tests.positioning.decisions import decisions  # noqa: F401  shared fixture
