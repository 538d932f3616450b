"""One word per thing: the model of an appellation is named so."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_edition_names")]

    operations = [migrations.RenameModel("JobTitleAlias", "Appellation")]
