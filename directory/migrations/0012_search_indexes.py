"""PostgreSQL: GIN indexes of the directory's search documents (directory.selectors)."""

from django.db import migrations

from core.search import search_index_add


class Migration(migrations.Migration):
    dependencies = [("core", "0003_french_search_config"), ("directory", "0011_place_proposal")]

    operations = [
        search_index_add("directory.Place", ("name",), "directory_place_name_search"),
        search_index_add("directory.Place", ("commune",), "directory_place_commune_search"),
        search_index_add("directory.Place", ("services",), "directory_place_service_search"),
        search_index_add("directory.Place", ("summary",), "directory_place_summary_search"),
        search_index_add("directory.PlaceStop", ("commune",), "directory_placestop_search"),
        search_index_add("directory.Organisation", ("name",), "directory_organisation_search"),
        search_index_add("directory.Commune", ("name",), "directory_commune_search"),
    ]
