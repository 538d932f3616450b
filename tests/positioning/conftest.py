"""Fixtures of the positioning tests: the two-establishment network of the accounts tests."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import PASSWORD, Network, network  # noqa: F401  shared fixture
from tests.positioning.decisions import decisions  # noqa: F401  shared fixture


@pytest.fixture
def inline_tasks(settings):
    """Background work (file analysis, imports) runs when the asking transaction commits
    (the immediate backend, as for every test)."""
    from tests.conftest import IMMEDIATE_TASKS

    settings.TASKS = IMMEDIATE_TASKS
