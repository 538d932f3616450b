"""Fixtures of the API tests."""

import pytest

from tests.accounts.conftest import network  # noqa: F401 (the fixture)


@pytest.fixture
def net(edition, network):  # noqa: F811
    """The two establishments, the edition loaded first so that employees get proposals."""
    return network
