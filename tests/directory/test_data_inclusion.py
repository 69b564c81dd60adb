"""The directory in the data·inclusion schema v1: structures and services, each row valid
against the published JSON schemas (`reference/data_inclusion/`, see its README) and the
schema's own rules that JSON Schema cannot say (a name not ending with a full stop, a date in
the 21st century and not in the future, `tous-publics` alone)."""

import datetime
import io
import json
import random
from pathlib import Path

from django.core.management import call_command

import pytest
from jsonschema import Draft202012Validator

from directory import data_inclusion, demo, standard
from directory.models import Place
from directory.services import communes_load, places_import
from tests.factories.directory import PlaceFactory

from .conftest import DATA
from .test_standard_json import FILES, HOSTILE

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "reference" / "data_inclusion"


def _validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(kind: str, rows: list[dict]) -> list[str]:
    """Every refusal of the published schema (and of its Python-only rules) on `rows`."""
    validator = _validator(kind)
    errors = []
    today = datetime.date.today()
    for number, row in enumerate(rows):
        errors += [
            f"{number} {error.json_path}: {error.message}" for error in validator.iter_errors(row)
        ]
        if row["nom"].endswith(".") and not row["nom"].endswith("etc."):
            errors.append(f"{number} nom: se termine par un point")
        if not datetime.date(2000, 1, 1) <= datetime.date.fromisoformat(row["date_maj"]) <= today:
            errors.append(f"{number} date_maj: hors du 21e siècle ou future")
        if "tous-publics" in row.get("publics", []) and len(row["publics"]) > 1:
            errors.append(f"{number} publics: tous-publics avec d'autres valeurs")
    return errors


def every_export(client) -> dict[str, dict[str, list[dict]]]:
    out = io.StringIO()
    call_command("export_lieux", "--format", "data-inclusion", stdout=out)
    return {
        "export_lieux": json.loads(out.getvalue()),
        "donnees-ouvertes": {
            kind: json.loads(client.get(f"/donnees-ouvertes/data-inclusion/{kind}.json").content)
            for kind in ("structures", "services")
        },
    }


def assert_valid(export: dict[str, list[dict]]):
    assert export["structures"]
    assert schema_errors("structure", export["structures"]) == []
    assert schema_errors("service", export["services"]) == []
    structures = {row["id"] for row in export["structures"]}
    assert {row["structure_id"] for row in export["services"]} <= structures


def test_a_place_becomes_a_structure_and_one_service_per_standard_service(client):
    place = PlaceFactory(
        identifier="lieu-1",
        name="Médiathèque Les Champs Libres.",
        pivot="21350238800013",
        services=["Aide aux démarches administratives", "Accès internet et matériel informatique"],
        national_schemes=["Conseillers numériques", "France Services", "Certification PIX"],
        access_modes=["Se présenter", "Envoyer un mail avec une fiche de prescription"],
        support_modes=["Accompagnement individuel", "À distance"],
        fees=["Gratuit sous condition"],
        publics=["Seniors"],
        specific_support=["Surdité"],
        phone="+33299000001",
        emails=["contact@exemple.fr"],
        opening_hours="Mo-Fr 09:00-12:00",
        source_updated_on=datetime.date(2025, 3, 1),
    )
    export = every_export(client)["export_lieux"]
    (structure,) = export["structures"]
    assert structure["id"] == "maillage--lieu-1"
    assert structure["nom"] == "Médiathèque Les Champs Libres"
    assert structure["siret"] == "21350238800013"
    assert structure["reseaux_porteurs"] == ["conseillers-numeriques", "france-service"]
    assert structure["telephone"] == "+33299000001"
    assert structure["lien_source"].endswith(f"/annuaire/{place.pk}/")
    admin, internet = export["services"]
    assert admin["thematiques"] == [
        "numerique--acceder-a-des-services-en-ligne",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ]
    assert admin["type"] == "accompagnement"
    assert internet["thematiques"] == ["numerique--acceder-a-une-connexion-internet"]
    assert internet["type"] == "aide-materielle"
    assert admin["mobilisable_par"] == ["usagers", "professionnels"]
    assert admin["modes_mobilisation"] == ["se-presenter", "envoyer-un-courriel"]
    assert admin["modes_accueil"] == ["en-presentiel", "a-distance"]
    assert (admin["frais"], admin["frais_precisions"]) == ("gratuit", "Gratuit sous condition")
    assert admin["publics"] == ["tous-publics"]
    assert admin["publics_precisions"] == "Accueil adapté : Seniors, Surdité"
    assert admin["date_maj"] == "2025-03-01"
    assert_valid(export)


def test_absent_fields_are_left_out_and_the_public_files_withhold_contacts(client):
    PlaceFactory(
        identifier="nu",
        services=["Maîtrise des outils numériques du quotidien"],
        phone="+33299000001",
    )
    exports = every_export(client)
    (service,) = exports["export_lieux"]["services"]
    assert "frais" not in service and "mobilisable_par" not in service
    assert all(value not in ("", None, []) for value in service.values())
    public = exports["donnees-ouvertes"]
    assert "telephone" not in public["structures"][0]
    assert "telephone" not in public["services"][0]
    assert_valid(public)


def test_a_place_open_to_professionals_only_is_mobilised_by_them_at_a_distance(client):
    PlaceFactory(
        services=["Compréhension du monde numérique"],
        access_modes=["Ce lieu n'accueille pas de public", "Téléphoner"],
        support_modes=["À distance"],
    )
    (service,) = every_export(client)["export_lieux"]["services"]
    assert service["mobilisable_par"] == ["professionnels"]
    assert service["modes_accueil"] == ["a-distance"]


def test_every_standard_service_has_thematiques_of_the_schema():
    schema = json.loads((SCHEMAS / "service.json").read_text(encoding="utf-8"))
    allowed = set(schema["$defs"]["Thematique"]["enum"])
    assert set(data_inclusion.THEMATIQUES) == set(standard.vocabularies()[standard.SERVICES])
    for thematiques in data_inclusion.THEMATIQUES.values():
        assert thematiques[0].startswith("numerique--")
        assert set(thematiques) <= allowed
    reseaux = set(schema["$defs"].get("ReseauPorteur", {}).get("enum", [])) or set(
        json.loads((SCHEMAS / "structure.json").read_text())["$defs"]["ReseauPorteur"]["enum"]
    )
    assert set(data_inclusion.RESEAUX_PORTEURS.values()) <= reseaux


def test_an_unknown_file_is_a_404_in_french(client):
    response = client.get("/donnees-ouvertes/data-inclusion/lieux.json")
    assert response.status_code == 404


@pytest.mark.parametrize("name", FILES)
def test_each_real_and_hand_made_file_exports_valid_rows(name, client):
    communes_load(departements=["13", "16", "22", "29", "35"])
    places_import(data=(DATA / name).read_bytes(), filename=name)
    for export in every_export(client).values():
        assert_valid(export)
        assert len(export["structures"]) == Place.objects.count()


def test_the_demo_directory_exports_valid_rows(communes, client):
    places_import(data=demo.build_csv().encode(), filename="demo.csv")
    for export in every_export(client).values():
        assert_valid(export)
        assert len(export["structures"]) == demo.COUNT


def test_a_large_generated_directory_exports_valid_rows(client):
    rng = random.Random(22)
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
                source_updated_on=rng.choice(
                    [None, datetime.date(1970, 1, 1), datetime.date(2025, 1, 1)]
                ),
                services=rng.sample(vocabularies[standard.SERVICES], rng.randint(0, 3)),
                publics=rng.sample(vocabularies[standard.PUBLICS], rng.randint(0, 2)),
                fees=rng.sample(vocabularies[standard.FRAIS], rng.randint(0, 2)),
                access_modes=rng.sample(vocabularies[standard.MODALITES_ACCES], rng.randint(0, 3)),
                support_modes=rng.sample(
                    vocabularies[standard.MODALITES_ACCOMPAGNEMENT], rng.randint(0, 2)
                ),
                national_schemes=rng.sample(vocabularies[standard.DISPOSITIFS], rng.randint(0, 2)),
                accessibility_url=rng.choice(["", "https://acceslibre.beta.gouv.fr/x/"]),
                appointment_url=rng.choice(["", "https://rdv.exemple.fr/"]),
                summary=rng.choice(["", "Oui", "Un lieu pour apprendre."]),
                opening_hours_valid=values["opening_hours"] != "le mardi",
                **values,
            )
        )
    Place.objects.bulk_create(places)
    for export in every_export(client).values():
        assert_valid(export)
        assert len(export["structures"]) == 1500
