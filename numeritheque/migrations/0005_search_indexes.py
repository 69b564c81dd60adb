"""PostgreSQL: GIN indexes of the numérithèque's search documents (numeritheque.selectors)."""

from django.db import migrations

from core.search import search_index_add


class Migration(migrations.Migration):
    dependencies = [("core", "0003_french_search_config"), ("numeritheque", "0004_booking_training")]

    operations = [
        search_index_add("numeritheque.Item", ("name", "description", "accessories"), "numeritheque_item_search"),
        search_index_add("numeritheque.Category", ("name",), "numeritheque_category_search"),
        search_index_add("numeritheque.Kit", ("name", "description"), "numeritheque_kit_search"),
    ]
