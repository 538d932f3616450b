# TRUNCATE fires no row trigger: on PostgreSQL it emptied the journal in one statement.
# A statement trigger refuses it as the row triggers refuse UPDATE and DELETE. (SQLite has
# no TRUNCATE: its DELETE without WHERE still fires the row triggers.)
#
# Test databases are emptied between transactional tests with TRUNCATE: the test suite
# disables this one trigger around its own flush (tests/conftest.py), nothing else does.

from django.db import migrations

POSTGRES_TRIGGER = """
CREATE FUNCTION audit_journal_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'le journal d''audit ne se vide pas';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_journal_no_truncate
  BEFORE TRUNCATE ON audit_journalentry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_journal_no_truncate();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_journal_no_truncate ON audit_journalentry;
DROP FUNCTION IF EXISTS audit_journal_no_truncate();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_establishment_in_organisation")]

    operations = [migrations.RunPython(install, drop)]
