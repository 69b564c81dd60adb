from django.db import migrations, models

from directory.geo import commune_key


def fill_search_name(apps, schema_editor):
    """Communes loaded before the field existed get their key (a later load sets it too)."""
    Commune = apps.get_model("directory", "Commune")
    communes = list(Commune.objects.only("pk", "name"))
    for commune in communes:
        commune.search_name = commune_key(commune.name)
    Commune.objects.bulk_update(communes, ["search_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_commune_population"),
    ]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop),
    ]
