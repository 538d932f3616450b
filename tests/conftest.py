import pytest

from repertoire import bundled
from repertoire.catalog import services
from repertoire.core.document import RepertoireDocument, decode, parse_document


@pytest.fixture(scope="session")
def source_text() -> str:
    """The text of the bundled 2014 edition, as shipped."""
    return decode(bundled.read(bundled.BUNDLED_EDITION))


@pytest.fixture(scope="session")
def document(source_text) -> RepertoireDocument:
    return parse_document(source_text)


@pytest.fixture
def edition(db):
    """The bundled edition loaded into the test database."""
    return services.ensure_bundled_edition(author="test")
