"""PostgreSQL: GIN indexes of the agenda's search documents (events.selectors)."""

from django.db import migrations

from core.search import search_index_add


class Migration(migrations.Migration):
    dependencies = [("core", "0003_french_search_config"), ("events", "0006_waiting_list_offers")]

    operations = [
        search_index_add("events.Session", ("title", "outside_location"), "events_session_search"),
        search_index_add("events.ConferencePage", ("intro",), "events_conference_search"),
    ]
