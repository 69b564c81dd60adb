import pytest

from api.standard import PLACE_FIELDS, UNKNOWN_PIVOT
from events.models import Speaker
from tests.factories.directory import OrganisationFactory, PlaceFactory
from tests.factories.events import SessionFactory, conference_page

pytestmark = pytest.mark.django_db

STANDARD_REQUIRED = {"id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"}


def test_places_use_the_national_standard_names(client, db):
    organisation = OrganisationFactory(name="Ville de Brest", siret="21290019700013")
    PlaceFactory(
        identifier="brest-1",
        name="Médiathèque des Capucins",
        organisation=organisation,
        commune="Brest",
        postcode="29200",
        insee_code="29019",
        departement="29",
        address_complement="2e étage",
    )
    place = client.get("/api/v1/lieux/brest-1").json()
    assert set(place) >= STANDARD_REQUIRED
    assert place["pivot"] == "21290019700013"
    assert place["nom"] == "Médiathèque des Capucins"
    assert place["code_insee"] == "29019"
    assert place["complement_adresse"] == "2e étage"
    assert place["structure_parente"] == "Ville de Brest"
    assert {field.name for field in PLACE_FIELDS} <= set(place)


def test_place_without_siret_gets_the_standard_unknown_pivot(client, db):
    PlaceFactory(identifier="sans-siret", organisation=None)
    assert client.get("/api/v1/lieux/sans-siret").json()["pivot"] == UNKNOWN_PIVOT


def test_place_filters_and_distance(client, db):
    PlaceFactory(identifier="rennes", departement="35")
    PlaceFactory(
        identifier="quimper",
        commune="Quimper",
        postcode="29000",
        departement="29",
        latitude=47.996,
        longitude=-4.102,
    )

    def ids(**params):
        return [item["id"] for item in client.get("/api/v1/lieux", params).json()["results"]]

    assert ids(departement="29") == ["quimper"]
    assert ids(commune="QUIMPER") == ["quimper"]
    assert ids(code_postal="35000") == ["rennes"]
    assert ids(lat=48.0, lon=-4.1, rayon_km=10) == ["quimper"]
    near = client.get("/api/v1/lieux", {"lat": 48.11, "lon": -1.68, "ordre": "distance"}).json()
    assert near["results"][0]["distance_km"] < 1
    assert ids(lat=48.11, lon=-1.68, rayon_km=300, ordre="distance") == ["rennes", "quimper"]
    refused = client.get("/api/v1/lieux", {"ordre": "distance"})
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Le tri par distance demande lat et lon."


def test_organisations_list_their_places(client, db):
    organisation = OrganisationFactory(name="Association Bug")
    PlaceFactory(identifier="bug-1", organisation=organisation)
    data = client.get("/api/v1/structures").json()
    assert data["results"][0]["lieux"] == ["bug-1"]
    detail = client.get(f"/api/v1/structures/{organisation.pk}").json()
    assert detail["nom"] == "Association Bug"
    assert client.get("/api/v1/structures/99999").status_code == 404


def test_conferences_with_sessions_and_speakers(client, db):
    page = conference_page(title="Rencontre régionale", replay_url="https://video.exemple.fr/1")
    Speaker.objects.create(page=page, name="Intervenante Publique", role="Hub")
    session = SessionFactory(page=page)
    data = client.get("/api/v1/rencontres").json()
    conference = data["results"][0]
    assert conference["titre"] == "Rencontre régionale"
    assert conference["intervenants"] == [{"nom": "Intervenante Publique", "fonction": "Hub"}]
    assert [item["id"] for item in conference["sessions"]] == [session.pk]
    assert conference["url"].startswith("http://testserver/")
    assert client.get(f"/api/v1/rencontres/{page.pk}").json()["id"] == page.pk
    assert client.get("/api/v1/rencontres", {"a_venir": "true"}).json()["count"] == 1
