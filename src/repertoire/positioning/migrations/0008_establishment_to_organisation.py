# The establishment moved to the organisation app with its table (organisation 0001): the
# foreign keys here point at it there, then this app's state lets the model go. No row is
# copied and no table changes.

import django.db.models.deletion
from django.db import migrations, models


def establishment(on_delete, related_name):
    return models.ForeignKey(
        on_delete=on_delete, related_name=related_name, to="organisation.establishment"
    )


PROTECT = django.db.models.deletion.PROTECT
CASCADE = django.db.models.deletion.CASCADE


class Migration(migrations.Migration):

    dependencies = [
        ("positioning", "0007_employee_list_order"),
        ("organisation", "0001_initial"),
        # Every other app's foreign key left this app's establishment first.
        ("accounts", "0002_establishment_in_organisation"),
        ("audit", "0002_establishment_in_organisation"),
        ("evaluation", "0002_establishment_in_organisation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="employee",
                    name="establishment",
                    field=establishment(PROTECT, "employees"),
                ),
                migrations.AlterField(
                    model_name="positioning",
                    name="establishment",
                    field=establishment(PROTECT, "positionings"),
                ),
                migrations.AlterField(
                    model_name="appeal",
                    name="establishment",
                    field=establishment(PROTECT, "appeals"),
                ),
                migrations.AlterField(
                    model_name="employeeimport",
                    name="establishment",
                    field=establishment(CASCADE, "imports"),
                ),
                migrations.AlterField(
                    model_name="letterbatch",
                    name="establishment",
                    field=establishment(CASCADE, "letter_batches"),
                ),
                migrations.DeleteModel(name="Establishment"),
            ],
            database_operations=[],
        ),
    ]
