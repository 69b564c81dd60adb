"""PostgreSQL: the GIN index of a content page's search document (portal.search)."""

from django.db import migrations

from core.search import search_index_add


class Migration(migrations.Migration):
    dependencies = [("core", "0003_french_search_config"), ("portal", "0003_hub_identity_and_territory")]

    operations = [
        search_index_add("portal.ContentPage", ("intro",), "portal_contentpage_search"),
    ]
