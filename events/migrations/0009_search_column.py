"""PostgreSQL: the sessions' search document moves to a stored generated tsvector column
with its GIN index (core.search.Document.column)."""

from django.db import migrations

from core.search import search_index_add, search_index_drop


class Migration(migrations.Migration):
    dependencies = [("events", "0008_feed_event")]

    operations = [
        search_index_drop("events.Session", ("title", "outside_location"), "events_session_search"),
        search_index_add("events.Session", ("title", "outside_location"), "events_session_search", column="fts_text"),
    ]
