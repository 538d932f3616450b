from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models
import django.db.models.deletion

# The journal is append-only in the database itself. On PostgreSQL (network
# deployments) rows can be neither updated nor deleted; on the embedded SQLite database
# they cannot be updated (deletes stay possible there so that the test suite can empty
# its tables; the model refuses them).
POSTGRES_TRIGGERS = """
CREATE FUNCTION audit_journal_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'le journal d''audit ne se modifie pas et ne s''efface pas';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_journal_append_only
  BEFORE UPDATE OR DELETE ON audit_journalentry
  FOR EACH ROW EXECUTE FUNCTION audit_journal_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_journal_append_only ON audit_journalentry;
DROP FUNCTION IF EXISTS audit_journal_append_only();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER audit_journal_no_update BEFORE UPDATE ON audit_journalentry
BEGIN SELECT RAISE(ABORT, 'le journal d''audit ne se modifie pas'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_journal_no_update;"


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGERS)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("positioning", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="JournalEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                ("actor", models.CharField(db_index=True, max_length=150, verbose_name="who")),
                ("action", models.CharField(max_length=64, verbose_name="action")),
                ("object_type", models.CharField(db_index=True, max_length=64, verbose_name="object type")),
                ("object_id", models.CharField(db_index=True, max_length=64, verbose_name="object id")),
                ("object_repr", models.CharField(max_length=300, verbose_name="object")),
                ("before", models.JSONField(blank=True, encoder=DjangoJSONEncoder, null=True, verbose_name="before")),
                ("after", models.JSONField(blank=True, encoder=DjangoJSONEncoder, null=True, verbose_name="after")),
                (
                    "establishment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="positioning.establishment",
                    ),
                ),
            ],
            options={
                "verbose_name": "journal entry",
                "verbose_name_plural": "journal entries",
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["object_type", "object_id"], name="audit_journ_object__be99e0_idx")],
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
