# Written by the rename kit (rename.py): edition / evaluation renames.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_edition_revision"), ("evaluation", "0002_establishment_in_organisation"), ("positioning", "0009_pay_records"), ("publishing", "0001_initial")]

    operations = [
        migrations.RenameModel("RepertoireVersion", "Edition"),
        migrations.RemoveConstraint("criterion", "unique_criterion_code"),
        migrations.RenameField("criterion", "version", "edition"),
        migrations.RemoveConstraint("level", "unique_level_number"),
        migrations.RenameField("level", "version", "edition"),
        migrations.RemoveConstraint("referencejob", "unique_job_code"),
        migrations.RemoveConstraint("referencejob", "unique_job_position"),
        migrations.RenameField("referencejob", "version", "edition"),
        migrations.RenameField("sommaireentry", "version", "edition"),
    ]
