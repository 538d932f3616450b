# Written by the rename kit (rename.py): edition / evaluation renames.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("positioning", "0009_pay_records"), ("catalog", "0005_rename_repertoireversion_edition")]

    operations = [
        migrations.RemoveConstraint("positioning", "one_positioning_per_employee_and_edition"),
        migrations.RemoveIndex("positioning", "positioning_establi_e84fd0_idx"),
        migrations.RemoveIndex("positioning", "positioning_establi_c174af_idx"),
        migrations.RenameField("positioning", "version", "edition"),
    ]
