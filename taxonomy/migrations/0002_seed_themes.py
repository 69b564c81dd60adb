"""Seed the themes of Les Bases (the national resource platform of digital mediation), so that
trainings, resources, interests and the newsletter share one vocabulary from day one."""

from django.db import migrations
from django.utils.text import slugify

THEMES = [
    "Aides aux démarches administratives",
    "Maîtrise des outils numériques",
    "Navigation sur internet",
    "Usages quotidiens du numérique",
    "Communication en ligne et réseaux sociaux",
    "Parentalité et éducation avec le numérique",
    "Risques cyber et protection",
    "Intelligence artificielle",
    "Numérique en santé",
    "Insertion professionnelle",
    "Usages responsables du numérique",
    "Éducation aux médias et à l'information",
    "Accessibilité numérique",
    "Culture numérique",
    "Économie numérique",
    "Fabrication numérique",
    "Accompagnement des publics",
    "Pilotage et outillage des structures",
]


def seed(apps, schema_editor):
    Theme = apps.get_model("taxonomy", "Theme")
    for position, name in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
