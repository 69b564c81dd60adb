"""PostgreSQL: the GIN index of a peer format's search document (peer_exchange.selectors)."""

from django.db import migrations

from core.search import search_index_add


class Migration(migrations.Migration):
    dependencies = [("core", "0003_french_search_config"), ("peer_exchange", "0002_poll_answers_deadline")]

    operations = [
        search_index_add("peer_exchange.PeerFormatPage", ("summary", "method"), "peer_exchange_format_search"),
    ]
