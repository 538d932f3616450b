"""Fixtures of the catalog tests: the two-establishment network of the accounts tests."""

from __future__ import annotations

from tests.accounts.conftest import network  # noqa: F401  shared fixture
