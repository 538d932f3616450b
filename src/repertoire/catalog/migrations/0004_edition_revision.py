from django.db import migrations


class Migration(migrations.Migration):
    """The appellations' revision becomes the edition's: every content write bumps it."""

    dependencies = [
        ("catalog", "0003_edition_lifecycle"),
    ]

    operations = [
        migrations.RenameField(
            model_name="repertoireversion",
            old_name="appellations_revision",
            new_name="revision",
        ),
    ]
