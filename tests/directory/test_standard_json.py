"""One JSON shape for every place export: the standard's own row, accepted by the standard's
reference library (node, `fromSchemaLieuDeMediationNumerique`) and by its table schema
(frictionless), on hand-made, real, demo and generated directories."""

import datetime
import io
import json
import random

from django.core.management import call_command

import pytest

from directory import demo, standard, standard_json
from directory.models import Place, PlaceStop
from directory.services import communes_load, places_import
from tests.factories.directory import PlaceFactory

from .conftest import DATA, frictionless_errors

pytestmark = pytest.mark.django_db

FILES = [
    "lieux_bom_pointvirgule.csv",
    "lieux_v01_windows1252.csv",
    "lieux.json",
    "reel_aix_en_provence_v01.json",
    "reel_bus_france_services_charente.json",
]


def every_json_export(client) -> dict[str, list[dict]]:
    out = io.StringIO()
    call_command("export_lieux", "--format", "json", stdout=out)
    return {
        "export_lieux": json.loads(out.getvalue()),
        "annuaire": json.loads(client.get("/annuaire/donnees/lieux.json").content),
        "donnees-ouvertes": json.loads(client.get("/donnees-ouvertes/lieux.json").content),
    }


def assert_valid(rows, reference_library):
    assert rows
    assert reference_library(rows) == []
    assert frictionless_errors(rows) == []


def test_a_row_is_the_standard_row_with_absent_fields_left_out(client):
    PlaceFactory(
        identifier="lieu",
        typologies=["BIB", "MAIRIE"],
        services=["Aide aux démarches administratives", "Loisirs et créations numériques"],
        labels=["Étapes numériques(La Poste)", "ORDI 3.0"],
        emails=["contact@exemple.fr", "pas-une-adresse"],
        phone="+33299000000",
        source_updated_on=datetime.date(2026, 1, 5),
    )
    (row,) = every_json_export(client)["export_lieux"]
    assert row == {
        "id": "lieu",
        "pivot": "00000000000000",
        "nom": row["nom"],
        "commune": "Rennes",
        "code_postal": "35000",
        "code_insee": "35238",
        "adresse": "12 rue de la République",
        "latitude": 48.11198,
        "longitude": -1.68186,
        "typologie": "BIB",
        "telephone": "+33299000000",
        "courriels": "contact@exemple.fr",
        "date_maj": "2026-01-05",
        "services": "Aide aux démarches administratives|Loisirs et créations numériques",
        "formations_labels": "ORDI 3.0",
        "autres_formations_labels": "Étapes numériques (La Poste)",
    }


def test_public_downloads_are_the_same_rows_without_contact_and_unreadable_hours(client):
    PlaceFactory(identifier="a", phone="+33299000000", opening_hours="le matin")
    PlaceFactory(identifier="b", opening_hours="Mo-Fr 09:00-12:00", opening_hours_valid=True)
    Place.objects.filter(identifier="a").update(opening_hours_valid=False)
    exports = every_json_export(client)
    hub = {row["id"]: row for row in exports["export_lieux"]}
    assert hub["a"]["horaires"] == "le matin" and hub["a"]["telephone"] == "+33299000000"
    public = sorted(exports["annuaire"], key=lambda row: row["id"])
    assert public == sorted(exports["donnees-ouvertes"], key=lambda row: row["id"])
    assert "horaires" not in public[0] and "telephone" not in public[0]
    assert public[1]["horaires"] == "Mo-Fr 09:00-12:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.exemple.fr/", "https://www.exemple.fr/"),
        ("https://exemple.fr/médiathèque", "https://exemple.fr/m%C3%A9diath%C3%A8que"),
        ("https://exemple.fr/a?b=c/d", "https://exemple.fr/a?b=c%2Fd"),
        ("https://exemple.fr:8080/", None),
        ("www.exemple.fr", None),
        ("https://médiathèque.fr", "https://xn--mdiathque-53af.fr"),
    ],
)
def test_urls_are_encoded_the_way_the_reference_library_reads_them(value, expected):
    assert standard_json.url(value) == expected


@pytest.mark.parametrize("name", FILES)
def test_every_json_export_of_each_file_passes_both_validators(name, client, reference_library):
    communes_load(departements=["13", "16", "22", "29", "35"])
    places_import(data=(DATA / name).read_bytes(), filename=name)
    for rows in every_json_export(client).values():
        assert_valid(rows, reference_library)
        # A mobile service is one row per stop, as the standard's files carry it.
        assert len(rows) == Place.objects.filter(stops=None).count() + PlaceStop.objects.count()


def test_the_demo_directory_passes_both_validators(communes, client, reference_library):
    report = places_import(data=demo.build_csv().encode(), filename="demo.csv")
    assert report.rejected == []
    for rows in every_json_export(client).values():
        assert_valid(rows, reference_library)
        assert len(rows) == demo.COUNT


HOSTILE = {
    "name": ["Tiers-lieu « La Forge »", 'Espace "Cyber"', "EPN #3 !", "Café-répar’ & co"],
    "address": ["2 bis, rue du 8-Mai-1945 (bât. B)", "Place « du Marché »", "Lieu-dit Kerbrat n°3"],
    "commune": ["SAINT-MALO", "Saint-Denis (La Réunion)", "L'Haÿ-les-Roses", "Paris 15e"],
    "pivot": ["", "123456789", "21350238800013", "W123456789", "00000000000000"],
    "phone": ["", "+33299000000", "+590590123456", "+33123", "+687123456"],
    "emails": [[], ["a@b.fr"], ["contact@exemple.fr", "x@y"], ["élodie@exemple.fr"]],
    "websites": [[], ["https://exemple.fr/été"], ["https://exemple.fr:8443/"], ["ftp://a.fr"]],
    "typologies": [[], ["MAIRIE"], ["BIB", "EPN"], ["Autre"]],
    "labels": [[], ["Étapes numériques(La Poste)"], ["SUD LABS (PACA)"]],
    "opening_hours": ["", "Mo-Fr 09:00-12:00", "le mardi"],
}


def test_a_large_generated_directory_passes_both_validators(client, reference_library):
    rng = random.Random(14)
    vocabularies = standard.vocabularies()
    places = []
    for n in range(1500):
        values = {key: rng.choice(choices) for key, choices in HOSTILE.items()}
        places.append(
            Place(
                identifier=f"gen-{n}",
                postcode=f"{rng.randint(1000, 97600):05d}",
                latitude=rng.choice([None, rng.uniform(-21, 51)]),
                longitude=rng.uniform(-61, 55),
                source_updated_on=rng.choice([None, datetime.date(2025, 1, 1)]),
                services=rng.sample(vocabularies[standard.SERVICES], rng.randint(0, 3)),
                publics=rng.sample(vocabularies[standard.PUBLICS], rng.randint(0, 2)),
                fees=rng.sample(vocabularies[standard.FRAIS], rng.randint(0, 1)),
                opening_hours_valid=values["opening_hours"] != "le mardi",
                **values,
            )
        )
    Place.objects.bulk_create(places)
    for rows in every_json_export(client).values():
        assert_valid(rows, reference_library)
        assert len(rows) == 1500
