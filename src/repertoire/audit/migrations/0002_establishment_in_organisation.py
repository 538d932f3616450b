# The establishment moved to the organisation app with its table: only the state changes.
# (Altering the column on SQLite would rebuild the table and lose its append-only trigger.)

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="journalentry",
                    name="establishment",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisation.establishment"),
                ),
            ],
            database_operations=[],
        ),
    ]
