# The establishment moves here from the positioning app without copying a row: this app's
# state takes the model with the table the positioning app created
# (positioning_establishment); the other apps then point their foreign keys at it
# (accounts 0002, audit 0002, evaluation 0002) and positioning 0008 lets it go.

from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    """The permissions and anything else hanging on the content type follow the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(
        app_label="organisation", model="establishment"
    ).exists():
        ContentType.objects.using(db).filter(
            app_label="positioning", model="establishment"
        ).update(app_label="organisation")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(
        app_label="positioning", model="establishment"
    ).exists():
        ContentType.objects.using(db).filter(
            app_label="organisation", model="establishment"
        ).update(app_label="positioning")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("positioning", "0007_employee_list_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Establishment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.SlugField(max_length=32, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                    ],
                    options={
                        "verbose_name": "establishment",
                        "verbose_name_plural": "establishments",
                        "ordering": ["code"],
                        "db_table": "positioning_establishment",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
