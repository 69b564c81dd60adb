"""Mobile services: a France Services bus arriving as one row per stop becomes one place with
its stops (`itinerance = Itinérant`), one fiche listing them, found from each stop's commune,
exported back one row per stop and re-imported into the same place."""

import json

import pytest

from directory import itinerance
from directory.models import Place, PlaceStop
from directory.selectors import commune_locate, place_list_near, place_search
from directory.services import communes_load, places_import

from .conftest import DATA

pytestmark = pytest.mark.django_db

BUS = "reel_bus_france_services_charente.json"


@pytest.fixture
def bus():
    communes_load(departements=["16"])
    return places_import(data=(DATA / BUS).read_bytes(), filename=BUS)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bus France Services - [Place de la poste]", ("Bus France Services", "Place de la poste")),
        ("Camion numérique – Ruffec", ("Camion numérique", "Ruffec")),
        ("Médiathèque - Espace multimédia", ("Médiathèque - Espace multimédia", "")),
        ("EPN (Tusson)", ("EPN", "Tusson")),
    ],
)
def test_a_name_splits_into_the_service_and_its_stop(name, expected):
    assert itinerance.split_name(name) == expected


def test_the_real_bus_file_becomes_one_itinerant_place_with_its_twelve_stops(bus):
    assert (bus.total, bus.created, bus.itinerant, len(bus.rejected)) == (12, 1, 1, 0)
    place = Place.objects.get()
    assert place.identifier == "1"
    assert place.name == "Bus France Services"
    assert place.itinerance == ["Itinérant"]
    assert place.pivot == "40109226700020"
    stops = list(place.stops.all())
    assert [stop.identifier for stop in stops] == [str(n) for n in range(1, 13)]
    tusson = stops[1]
    assert (tusson.name, tusson.commune, tusson.address) == (
        "Place de la poste",
        "Tusson",
        "Le Bourg",
    )
    assert tusson.opening_hours == "Tu 09:00-12:30,13:30-15:30; PH off"
    # Valence's stop was geocoded 486 km away: kept, flagged, never searched from there.
    valence = stops[3]
    assert (valence.latitude, valence.longitude) == (None, None)
    assert "À vérifier : Coordonnées à 486 km de Valence" in [w["message"] for w in bus.warnings]
    assert place.opening_hours.endswith("; PH off")
    assert place.opening_hours.startswith("Mo 09:30-12:30,13:30-15:30; Tu 09:00-12:30")


def test_the_fiche_lists_each_stop_with_its_commune_address_and_hours_in_french(bus, client):
    place = Place.objects.get()
    html = client.get(f"/annuaire/{place.pk}/").content.decode()
    assert "Service itinérant : 12 arrêts" in html
    assert "Tusson — Place de la poste" in html
    assert "Le Bourg, 16140 Tusson" in html
    assert "Mardi : 9 h – 12 h 30, 13 h 30 – 15 h 30" in html
    assert "Lundi : 9 h 30 – 12 h 30, 13 h 30 – 15 h 30" in html


def test_the_bus_is_found_from_each_stops_commune(bus, client):
    place = Place.objects.get()
    assert [row["pk"] for row in place_search(text="Luxé")] == [place.pk]
    luxe = commune_locate(query="Luxé")
    (row,) = place_search(near=(luxe.latitude, luxe.longitude, 3))
    assert row["pk"] == place.pk and row["distance_km"] < 3
    assert [
        p.pk for p in place_list_near(latitude=luxe.latitude, longitude=luxe.longitude, radius_km=3)
    ] == [place.pk]
    response = client.get("/annuaire/", {"location": "Verteuil-sur-Charente", "radius": 10})
    assert "Bus France Services" in response.content.decode()


def test_a_reimport_keeps_one_place_and_its_stops(bus):
    again = places_import(data=(DATA / BUS).read_bytes(), filename=BUS)
    assert (again.created, again.unchanged, again.itinerant) == (0, 1, 1)
    assert Place.objects.count() == 1
    assert PlaceStop.objects.count() == 12


def test_the_export_gives_one_row_per_stop_and_round_trips(bus, client):
    rows = json.loads(client.get("/annuaire/donnees/lieux.json").content)
    assert len(rows) == 12
    assert rows[1]["nom"] == "Bus France Services - [Place de la poste]"
    assert {row["itinerance"] for row in rows} == {"Itinérant"}
    Place.objects.all().delete()
    report = places_import(data=json.dumps(rows).encode(), filename="export.json")
    assert (report.created, report.itinerant) == (1, 1)
    assert Place.objects.get().stops.count() == 12


def test_places_of_one_network_in_several_towns_are_not_gathered():
    communes_load(departements=["35"])
    header = "id,pivot,nom,commune,code_postal,adresse,date_maj"
    rows = [
        "a,,Médiathèque - Espace multimédia,Rennes,35000,1 rue A,2025-01-01",
        "b,,Médiathèque - Espace multimédia,Vitré,35500,1 rue B,2025-01-01",
        "c,,Conseiller numérique - [Mairie],Rennes,35000,1 rue C,2025-01-01",
        "d,,Conseiller numérique - [CCAS],Vitré,35500,1 rue D,2025-01-01",
    ]
    report = places_import(data="\n".join([header, *rows]).encode())
    assert (report.created, report.itinerant) == (4, 0)


def test_rows_that_say_itinerant_are_gathered_whatever_their_name():
    communes_load(departements=["35"])
    header = "id,pivot,nom,commune,code_postal,adresse,date_maj,itinerance"
    rows = [
        "a,,Conseiller numérique - [Mairie],Rennes,35000,1 rue A,2025-01-01,Itinérant",
        "b,,Conseiller numérique - [CCAS],Vitré,35500,1 rue B,2025-01-01,Itinérant",
    ]
    report = places_import(data="\n".join([header, *rows]).encode())
    assert (report.created, report.itinerant) == (1, 1)
    assert [stop.commune for stop in Place.objects.get().stops.all()] == ["Rennes", "Vitré"]


def test_a_dry_run_gathers_without_writing():
    communes_load(departements=["16"])
    report = places_import(data=(DATA / BUS).read_bytes(), filename=BUS, dry_run=True)
    assert (report.created, report.itinerant) == (1, 1)
    assert not PlaceStop.objects.exists() and not Place.objects.exists()
