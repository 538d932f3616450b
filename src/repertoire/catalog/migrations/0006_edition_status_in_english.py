# Written by the rename kit (rename.py): edition / evaluation renames.

"""Edition statuses stored in English; the document's words are kept at its boundary."""

from django.db import migrations

ENGLISH = {"provisoire": "provisional", "officiel": "official"}


def _convert(mapping):
    def convert(apps, schema_editor):
        Edition = apps.get_model("catalog", "Edition")
        for old, new in mapping.items():
            Edition.objects.filter(status=old).update(status=new)

    return convert


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_rename_repertoireversion_edition")]

    operations = [
        migrations.RunPython(
            _convert(ENGLISH), _convert({new: old for old, new in ENGLISH.items()})
        ),
    ]
