import datetime
import io
import json

from django.core.management import call_command

import pytest

from api.standard import PUBLISHED_COLUMNS, WITHHELD_COLUMNS
from directory.models import Place
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
        pivot="21290019700013",
        parent_structure="Ville de Brest",
        commune="Brest",
        postcode="29200",
        insee_code="29019",
        departement="29",
        address_complement="2e étage",
        services=["Aide aux démarches administratives"],
        source_updated_on=datetime.date(2026, 3, 1),
    )
    place = client.get("/api/v1/lieux/brest-1").json()
    assert set(place) >= STANDARD_REQUIRED
    assert place["pivot"] == "21290019700013"
    assert place["nom"] == "Médiathèque des Capucins"
    assert place["code_insee"] == "29019"
    assert place["complement_adresse"] == "2e étage"
    assert place["structure_parente"] == "Ville de Brest"
    assert place["services"] == ["Aide aux démarches administratives"]
    assert place["date_maj"] == "2026-03-01"
    assert set(place) == {*PUBLISHED_COLUMNS, "distance_km"}


def test_place_without_siret_gets_the_standard_unknown_pivot(client, db):
    PlaceFactory(identifier="sans-siret", organisation=None)
    assert client.get("/api/v1/lieux/sans-siret").json()["pivot"] == "00000000000000"


def _flat(value) -> str:
    """An API value as the export writes it (lists joined with |, null as empty)."""
    if isinstance(value, list):
        return "|".join(value)
    return "" if value is None else str(value)


def test_api_place_is_the_directory_export_row(client, db):
    """One source of truth: for the same place, the API's typed fields say what the export's
    standard row says (absent there, empty here), the JSON download is that row without the
    contact columns, and the CSV download is the CSV export with them emptied."""
    PlaceFactory(
        identifier="complet",
        pivot="21350238800019",
        typologies=["BIB", "MUNI"],
        phone="+33299000000",
        emails=["contact@exemple.fr"],
        websites=["https://exemple.fr"],
        opening_hours="Mo-Fr 09:00-12:00",
        summary="Un lieu ouvert à tous.",
        services=["Aide aux démarches administratives", "Utilisation sécurisée du numérique"],
        publics=["Seniors"],
        fees=["Gratuit"],
        source_updated_on=datetime.date(2026, 5, 4),
        appointment_url="https://rdv.exemple.fr",
        address_complement="Rez-de-chaussée",
    )
    out = io.StringIO()
    call_command("export_lieux", "--format", "json", stdout=out)
    (exported,) = json.loads(out.getvalue())
    api = client.get("/api/v1/lieux/complet").json()
    assert set(WITHHELD_COLUMNS) == {"telephone", "courriels"}
    assert exported["telephone"] == "+33299000000"
    for column in PUBLISHED_COLUMNS:
        assert _flat(api[column]) == _flat(exported.get(column)), column
    assert api["latitude"] == exported["latitude"] == Place.objects.get().latitude
    (listed,) = client.get("/api/v1/lieux").json()["results"]
    assert listed == api
    (downloaded,) = json.loads(client.get("/donnees-ouvertes/lieux.json").content)
    assert downloaded == {
        key: value for key, value in exported.items() if key not in WITHHELD_COLUMNS
    }
    csv_row = client.get("/donnees-ouvertes/lieux.csv").getvalue().decode().splitlines()[1]
    assert "+33299000000" not in csv_row and "contact@exemple.fr" not in csv_row
    assert "21350238800019" in csv_row and "Rez-de-chaussée" in csv_row


def test_places_filter_by_service_of_the_standard(client, db):
    PlaceFactory(identifier="demarches", services=["Aide aux démarches administratives"])
    PlaceFactory(identifier="loisirs", services=["Loisirs et créations numériques"])
    PlaceFactory(identifier="aucun")

    def ids(service):
        response = client.get("/api/v1/lieux", {"service": service})
        assert response.status_code == 200
        return [item["id"] for item in response.json()["results"]]

    assert ids("Aide aux démarches administratives") == ["demarches"]
    # Typed as people type it: case, accents and spaces do not matter.
    assert ids("aide aux demarches  administratives") == ["demarches"]
    assert ids("Loisirs et créations numériques") == ["loisirs"]
    vocabulary = [item["nom"] for item in client.get("/api/v1/services").json()]
    assert "Aide aux démarches administratives" in vocabulary and len(vocabulary) == 9


def test_unknown_service_is_refused_in_french(client, db):
    response = client.get("/api/v1/lieux", {"service": "Réparation de vélos"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Service inconnu")
    assert body["errors"] == [{"parametre": "service", "message": body["detail"]}]


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
    ajaccio = PlaceFactory(
        identifier="ajaccio", departement="2A", postcode="20000", latitude=41.92, longitude=8.74
    )
    assert ids(departement="2a") == [ajaccio.identifier]
    assert client.get("/api/v1/lieux", {"departement": "20"}).status_code == 422
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
