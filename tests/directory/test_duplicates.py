"""Duplicates across sources by position and normalised names or addresses, with a score and a
reason, compared only inside a commune or a ~1 km cell."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory import duplicates
from directory.services import places_import
from tests.factories.directory import PlaceFactory

pytestmark = pytest.mark.django_db
HEADER = "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,source,date_maj"


def test_names_are_compared_without_generic_words():
    first = duplicates.name_tokens("France services Effervescentre", "Rennes")
    assert duplicates.name_similarity(first, duplicates.name_tokens("Effervescentre")) == 1
    mairie = duplicates.name_tokens("Mairie de Rennes", "Rennes")
    library = duplicates.name_tokens("Médiathèque de Rennes", "Rennes")
    assert duplicates.name_similarity(mairie, library) == 0


def test_an_import_lists_a_near_place_of_another_source_with_a_similar_name():
    PlaceFactory(
        identifier="carto-1",
        name="France services Effervescentre",
        address="2 place de la Mairie",
        latitude=48.11198,
        longitude=-1.68186,
        source="Cartographie nationale",
    )
    PlaceFactory(identifier="mairie", name="Mairie", latitude=48.11199, longitude=-1.68187)
    row = "hub-1,,Effervescentre,Rennes,35000,35238,2 pl de la Mairie,48.11210,-1.68190,Hub,2025-01-01"
    report = places_import(data=f"{HEADER}\n{row}\n".encode())
    (pair,) = report.duplicates
    assert (pair["first"], pair["second"]) == ("carto-1", "hub-1")
    assert pair["reason"].startswith("à 14 m, noms proches (100 %), même adresse")
    assert pair["score"] > 0.9


def test_a_file_only_reads_the_places_of_its_communes(django_assert_max_num_queries):
    PlaceFactory.create_batch(5, insee_code="29019", postcode="29200", commune="Brest")
    incoming = {
        "x": {
            "name": "Espace",
            "address": "1 rue A",
            "postcode": "35000",
            "commune": "Rennes",
            "insee_code": "35238",
            "pivot": "",
            "latitude": None,
            "longitude": None,
            "source": "",
        }
    }
    with CaptureQueriesContext(connection) as queries:
        assert duplicates.find(incoming=incoming) == []
    (query,) = queries.captured_queries
    assert "35238" in query["sql"] and "29019" not in query["sql"]
