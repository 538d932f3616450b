# Written by the rename kit (rename.py): edition / evaluation renames.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_establishment_in_organisation"), ("catalog", "0005_rename_repertoireversion_edition")]

    operations = [
        migrations.RenameField("jobevaluation", "version", "edition"),
    ]
