"""The standard's placeholder SIRET is normal and an epoch `date_maj` means « unknown »: drop the
two review flags earlier imports set for them, and forget the epoch dates."""

import datetime

from django.db import migrations

OLD_FLAGS = {"siret_fictif", "date_1970"}
EPOCH_DATES = [datetime.date(1970, 1, 1), datetime.date(1969, 12, 31)]


def forward(apps, schema_editor):
    Place = apps.get_model("directory", "Place")
    Place.objects.filter(source_updated_on__in=EPOCH_DATES).update(source_updated_on=None)
    changed = []
    for place in Place.objects.filter(review_flags__regex=r"\|(siret_fictif|date_1970)\|"):
        place.review_flags = [flag for flag in place.review_flags if flag not in OLD_FLAGS]
        changed.append(place)
    Place.objects.bulk_update(changed, ["review_flags"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_commune_search_name")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
