from tests.accounts.conftest import Network, network  # noqa: F401  shared fixture
from tests.positioning.decisions import decisions  # noqa: F401  shared fixture
