"""Fixtures of the concurrency tests: the two-establishment network of the accounts tests."""

from tests.accounts.conftest import network  # noqa: F401  shared fixture
