"""PostgreSQL: the GIN index of a training's search document (trainings.selectors)."""

from django.db import migrations

from core.search import search_index_add


class Migration(migrations.Migration):
    dependencies = [("core", "0003_french_search_config"), ("trainings", "0004_reminders")]

    operations = [
        search_index_add("trainings.TrainingPage", ("summary", "objectives", "prerequisites", "trainers"), "trainings_training_search"),
    ]
