import pytest
from django.core.cache import cache
from django.test import override_settings

from repertoire import bundled
from repertoire.catalog import services
from repertoire.core.document import RepertoireDocument, decode, parse_document


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Passwords hashed with argon2 (as in production) at the lowest cost."""
    with override_settings(
        PASSWORD_HASHERS=[
            "tests.hashers.CheapArgon2PasswordHasher",
            "django.contrib.auth.hashers.Argon2PasswordHasher",
        ]
    ):
        yield


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no rendered page parts: a rolled-back test database gives
    its revision numbers again, which a running app never does."""
    cache.clear()
