"""PostgreSQL: the big tables' search documents move from expression indexes to stored
generated tsvector columns with their GIN index (core.search.Document.column): a word found in
most places (« numérique ») no longer costs one to_tsvector per row."""

from django.db import migrations

from core.search import search_index_add, search_index_drop


class Migration(migrations.Migration):
    dependencies = [("directory", "0012_search_indexes")]

    operations = [
        search_index_drop("directory.Place", ("name",), "directory_place_name_search"),
        search_index_add("directory.Place", ("name",), "directory_place_name_search", column="fts_name"),
        search_index_drop("directory.Place", ("commune",), "directory_place_commune_search"),
        search_index_add("directory.Place", ("commune",), "directory_place_commune_search", column="fts_commune"),
        search_index_drop("directory.Place", ("services",), "directory_place_service_search"),
        search_index_add("directory.Place", ("services",), "directory_place_service_search", column="fts_services"),
        search_index_drop("directory.Place", ("summary",), "directory_place_summary_search"),
        search_index_add("directory.Place", ("summary",), "directory_place_summary_search", column="fts_summary"),
        search_index_drop("directory.Organisation", ("name",), "directory_organisation_search"),
        search_index_add("directory.Organisation", ("name",), "directory_organisation_search", column="fts_name"),
        search_index_drop("directory.Commune", ("name",), "directory_commune_search"),
        search_index_add("directory.Commune", ("name",), "directory_commune_search", column="fts_name"),
    ]
