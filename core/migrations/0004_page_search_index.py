"""PostgreSQL: the GIN index of core.search.PAGE_DOCUMENT (a page's title and search
description), read by every page type's search."""

from django.db import migrations

from core.search import search_index_add


class Migration(migrations.Migration):
    dependencies = [("core", "0003_french_search_config"), ("wagtailcore", "0098_apitoken")]

    operations = [
        search_index_add("wagtailcore.Page", ("title", "search_description"), "core_page_search"),
    ]
