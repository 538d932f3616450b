import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.test import override_settings

from repertoire import bundled
from repertoire.catalog import selectors, services
from repertoire.catalog.models import Edition
from repertoire.core.document import RepertoireDocument
from repertoire.core.document_reader import decode, parse_document


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


@pytest.fixture(scope="session", autouse=True)
def _anonymous_api_calls_not_limited():
    """Tests call the API anonymously many times from one address: the rate limit is set
    out of reach (the test of the limit sets its own)."""
    with override_settings(REPERTOIRE_API_ANONYMOUS_RATE="1000000/min"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _journal_emptied_between_transactional_tests():
    """On PostgreSQL the journal refuses TRUNCATE (a trigger); the test databases are
    emptied with TRUNCATE between transactional tests. Their flush alone sets the
    trigger aside, in its own transaction: nothing else in the suite can empty the journal."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if statements and "audit_journalentry" in tables:
            trigger = "audit_journalentry DISABLE TRIGGER audit_journal_no_truncate"
            return [
                f"ALTER TABLE {trigger}",
                *statements,
                f"ALTER TABLE {trigger.replace('DISABLE', 'ENABLE')}",
            ]
        return statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


# Background work runs when the transaction that asked for it commits, in the test's
# process: deterministic. Tests of the queue itself switch to the database backend.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_immediately():
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture(scope="session")
def source_text() -> str:
    """The text of the bundled 2014 edition, as shipped."""
    return decode(bundled.read(bundled.BUNDLED_EDITION))


@pytest.fixture(scope="session")
def document(source_text) -> RepertoireDocument:
    return parse_document(source_text)


# The rows the importer wrote for the bundled edition, as one insert per table: imported
# once per test session, then written back row for row into each test's database.
_edition_inserts: list[tuple[str, list[tuple]]] | None = None
_shipped_edition: tuple[int, str] | None = None  # its id and its content key
_writing_back = False  # while the fixture writes those rows into a test's database


def _pks_by_model() -> dict[type[Model], set]:
    return {
        model: set(model._base_manager.values_list("pk", flat=True)) for model in apps.get_models()
    }


def _inserts(written: dict[type[Model], list[Model]]) -> list[tuple[str, list[tuple]]]:
    """One INSERT per table with its rows' values as the database stores them (dates
    included: the edition's import time names its content, see ``per_edition``).

    Rows no other written row points to (the journal's) take the next free id: the test
    may have journaled something before asking for the edition."""
    pointed_to = {
        field.related_model
        for model in written
        for field in model._meta.concrete_fields
        if field.is_relation
    }
    quote = connection.ops.quote_name
    inserts = []
    for model, rows in written.items():
        fields = [
            field
            for field in model._meta.concrete_fields
            if model in pointed_to or not field.primary_key
        ]
        columns = ", ".join(quote(field.column) for field in fields)
        values = ", ".join(["%s"] * len(fields))
        inserts.append(
            (
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})",
                [
                    tuple(
                        field.get_db_prep_save(getattr(row, field.attname), connection)
                        for field in fields
                    )
                    for row in rows
                ],
            )
        )
    return inserts


@pytest.fixture
def edition(db):
    """The bundled edition loaded into the test database.

    The first test of the session imports it through the importer (most of a second); the
    next ones get the same rows written back in one insert per table. Django's foreign
    keys are checked at commit on both databases, so the order of the tables is free."""
    global _edition_inserts, _shipped_edition, _writing_back
    if Edition.objects.exists():
        return None  # as the importer's ensure_bundled_edition: only into an empty database
    if _edition_inserts is None:
        before = _pks_by_model()
        loaded = services.ensure_bundled_edition(author="test")
        written = {
            model: list(model._base_manager.exclude(pk__in=before[model]).order_by("pk"))
            for model in before
        }
        _edition_inserts = _inserts({model: rows for model, rows in written.items() if rows})
        _shipped_edition = (loaded.pk, selectors.edition_key(Edition.objects.get(pk=loaded.pk)))
        return loaded
    _writing_back = True
    try:
        with connection.cursor() as cursor:
            for statement, rows in _edition_inserts:
                cursor.executemany(statement, rows)
    finally:
        _writing_back = False
    return Edition.objects.get(pk=_shipped_edition[0])


@pytest.fixture(autouse=True)
def _indexes_of_the_edition_as_shipped():
    """Indexes are kept per process by the edition's content key (id, import time,
    revision). Every test gets the bundled edition back with the same key, so its indexes
    are built once per session. Forgotten after the test: those of an edition it changed
    through the services (a rolled-back database gives its revisions again to the next
    test), and those it built after writing to the catalog's tables itself (a write by
    hand leaves the key as it was: they would pass for the shipped edition's)."""
    catalog_tables = {model._meta.db_table for model in apps.get_app_config("catalog").get_models()}
    kept_before = dict(selectors._indexes)
    changed_by_hand = False

    def watch(execute, sql, params, many, context):
        nonlocal changed_by_hand
        if not _writing_back and not changed_by_hand:
            verb = sql.lstrip()[:6].upper()
            if verb in ("INSERT", "UPDATE", "DELETE") and any(t in sql for t in catalog_tables):
                changed_by_hand = True
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield
    shipped = _shipped_edition and _shipped_edition[1]
    for place, entry in list(selectors._indexes.items()):
        if entry[0] != shipped or (changed_by_hand and kept_before.get(place) is not entry):
            del selectors._indexes[place]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no rendered page parts: a rolled-back test database gives
    its revision numbers again, which a running app never does."""
    cache.clear()


# What reaches the database under test: pytest-django's fixtures (directly or through
# another fixture) and its marker, or a marker for the tests that hand the suite's
# DATABASE_URL to processes of their own.
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_setup",  # a fixture of wider scope writing through django_db_blocker
}


def _reaches_the_database(item: pytest.Item) -> bool:
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("database_url") is not None
        or not _DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL only the tests that reach the database run: the others (the pure
    core, the command line's output, processes with an embedded SQLite of their own) would
    repeat the SQLite run to the letter."""
    if connection.vendor != "postgresql":
        return
    left_out = [item for item in items if not _reaches_the_database(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if _reaches_the_database(item)]
