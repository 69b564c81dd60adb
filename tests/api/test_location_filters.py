"""An unknown commune, postcode or INSEE code is a 400 saying « Commune ou code postal
inconnu » on every endpoint that filters by place (not an empty list, as issue 17 saw), and
every radius is bounded with a French message."""

import pytest

from tests.factories.directory import PlaceFactory

pytestmark = pytest.mark.django_db

PLACE_ENDPOINTS = ["/api/v1/lieux", "/api/v1/sessions", "/api/v1/formations"]


@pytest.mark.parametrize("path", [*PLACE_ENDPOINTS, "/api/v1/numeritheque/objets"])
def test_an_unknown_commune_is_a_400_in_french(client, communes, path):
    response = client.get(path, {"commune": "Plouzzzz"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Commune ou code postal inconnu : « Plouzzzz »")
    assert response.json()["errors"] == [
        {"parametre": "commune", "message": response.json()["detail"]}
    ]


@pytest.mark.parametrize(("param", "value"), [("code_postal", "99999"), ("code_insee", "35999")])
def test_an_unknown_postcode_or_insee_code_of_the_directory_is_a_400(
    client, communes, param, value
):
    response = client.get("/api/v1/lieux", {param: value})
    assert response.status_code == 400
    assert "Commune ou code postal inconnu" in response.json()["detail"]


def test_a_known_commune_without_places_is_an_empty_list(client, communes):
    PlaceFactory(commune="Rennes", postcode="35000")
    response = client.get("/api/v1/lieux", {"commune": "Quimper"})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert client.get("/api/v1/lieux", {"commune": "RENNES"}).json()["count"] == 1


def test_a_commune_spelled_as_a_source_spells_it_is_known(client, db):
    PlaceFactory(commune="Paris 15e", postcode="75015")
    assert client.get("/api/v1/lieux", {"commune": "paris 15e"}).json()["count"] == 1


@pytest.mark.parametrize("path", PLACE_ENDPOINTS)
def test_a_radius_of_9999_km_is_refused_in_french(client, db, path):
    response = client.get(path, {"lat": 48.1, "lon": -1.68, "rayon_km": 9999})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["parametre"] == "rayon_km"
    assert "300" in error["message"]
