# Written by the rename kit (rename.py): edition / evaluation renames.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial"), ("catalog", "0005_rename_repertoireversion_edition")]

    operations = [
        migrations.RemoveIndex("publication", "publishing__version_cac35f_idx"),
        migrations.RenameField("publication", "version", "edition"),
    ]
