"""Places that do not agree with themselves are kept, flagged « à vérifier » with the reason by
line, and get no route link from absurd coordinates."""

import pytest

from directory.models import Place
from directory.services import communes_load, places_import
from tests.factories.directory import PlaceFactory

pytestmark = pytest.mark.django_db

HEADER = "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj"


def run(*rows):
    return places_import(data="\n".join([HEADER, *rows]).encode())


def messages(report, identifier):
    return [w["message"] for w in report.warnings if w["identifier"] == identifier]


@pytest.fixture(autouse=True)
def communes_used():
    communes_load(departements=["02", "28", "29", "35"])


def test_a_consistent_place_is_not_flagged_and_a_missing_insee_code_is_filled():
    report = run("ok,,Médiathèque,Brest,29200,,22 rue Traverse,48.3897,-4.4881,2025-01-01")
    place = Place.objects.get()
    assert (place.review_flags, place.insee_code, place.departement) == ([], "29019", "29")
    assert report.flagged == 0


def test_postcode_of_another_commune_is_flagged_with_the_reason():
    report = run("dreux,,Espace,Dreux,2810,28134,1 rue A,48.7366,1.3659,2025-01-01")
    place = Place.objects.get()
    assert place.postcode == "02810"
    assert place.review_flags == ["cp_autre_commune"]
    assert messages(report, "dreux") == [
        "À vérifier : Le code postal 02810 n'est pas celui de Dreux (28100)"
    ]
    assert report.warnings[0]["line"] == 2
    assert report.rejected == []


def test_insee_code_of_another_commune_is_flagged():
    report = run("q,,CCAS,Quimper,29000,29019,3 rue Haute,47.996,-4.102,2025-01-01")
    assert Place.objects.get().review_flags == ["insee_autre_commune"]
    assert messages(report, "q") == [
        "À vérifier : Le code INSEE 29019 est celui de Brest, pas de « Quimper » (29232)"
    ]


def test_a_commune_deleguee_name_under_its_new_code_is_not_flagged():
    run("d,,Mairie annexe,Saint-Marc,29200,29019,1 rue B,48.39,-4.45,2025-01-01")
    assert Place.objects.get().review_flags == []


def test_coordinates_far_from_the_commune_are_flagged_and_draw_no_route(client):
    report = run(
        "loin,,Espace,Rennes,35000,35238,1 rue C,43.2965,5.3698,2025-01-01",
        "inverse,,Point,Rennes,35000,35238,2 rue C,-1.68,48.11,2025-01-01",
    )
    assert messages(report, "loin") == ["À vérifier : Coordonnées à 765 km de Rennes"]
    assert "inversées" in messages(report, "inverse")[0]
    place = Place.objects.get(identifier="loin")
    assert place.review_flags == ["coordonnees_eloignees"]
    assert not place.has_reliable_position
    page = client.get(f"/annuaire/{place.pk}/").content.decode()
    assert "openstreetmap.org/directions" not in page


def test_a_place_near_its_commune_keeps_its_route_link(client):
    place = PlaceFactory(latitude=48.11, longitude=-1.68)
    assert "openstreetmap.org/directions" in client.get(f"/annuaire/{place.pk}/").content.decode()
