import io
import json
import time

from django.core.management import CommandError, call_command
from django.utils import timezone

import pytest

from core.errors import DomainError
from directory.models import Organisation, Place
from directory.services import place_update, places_import
from tests.factories.directory import PlaceFactory

from .conftest import DATA

pytestmark = pytest.mark.django_db


def import_file(name, **kwargs):
    return places_import(data=(DATA / name).read_bytes(), filename=name, **kwargs)


def test_utf8_bom_semicolon_file_imports_valid_rows_and_reports_each_rejected_row():
    report = import_file("lieux_bom_pointvirgule.csv")
    assert (report.encoding, report.delimiter) == ("utf-8-sig", ";")
    assert report.created == 4
    assert {(row["line"], row["identifier"]) for row in report.rejected} == {
        (5, "sans-nom"),
        (7, "mauvais-cp"),
        (8, "mauvaises-coords"),
    }
    reasons = {row["identifier"]: " ".join(row["reasons"]) for row in report.rejected}
    assert "Nom manquant" in reasons["sans-nom"]
    assert {
        "line": 6,
        "identifier": "mauvais-service",
        "message": "Valeur inconnue du standard, non reprise (services) : « Réparation de vélos »",
    } in report.warnings
    assert Place.objects.get(identifier="mauvais-service").services == []
    assert "Code postal invalide" in reasons["mauvais-cp"]
    assert "Coordonnées invalides" in reasons["mauvaises-coords"]
    place = Place.objects.get(identifier="rennes-champs-libres")
    assert place.services == [
        "Accès internet et matériel informatique",
        "Maîtrise des outils numériques du quotidien",
    ]
    assert place.phone == "+33223406600"
    assert place.opening_hours == "Tu-Fr 12:00-19:00; Sa-Su 14:00-19:00"
    assert place.organisation.siret == "21350238800013"
    assert place.departement == "35"


def test_placeholder_siret_is_normal_epoch_date_is_unknown_bad_hours_are_flagged():
    report = import_file("lieux_bom_pointvirgule.csv")
    blosne = Place.objects.get(identifier="rennes-france-services-blosne")
    assert blosne.review_flags == []
    assert (blosne.pivot, blosne.organisation, blosne.source_updated_on) == ("", None, None)
    assert any(
        warning["identifier"] == blosne.identifier
        and "enregistrée comme inconnue" in warning["message"]
        for warning in report.warnings
    )
    cesson = Place.objects.get(identifier="cesson-epn")
    assert cesson.opening_hours == "le mardi après-midi"
    assert not cesson.opening_hours_valid
    assert cesson.review_flags == ["horaires_illisibles"]


def test_windows_1252_v01_file_maps_legacy_columns_and_reports_the_rest():
    report = import_file("lieux_v01_windows1252.csv")
    assert (report.encoding, report.delimiter) == ("windows-1252", ",")
    assert report.mapped_columns == {
        "labels_nationaux": "dispositif_programmes_nationaux",
        "publics_accueillis": "publics_specifiquement_adresses",
    }
    assert report.ignored_columns == ["commentaire_interne"]
    brest = Place.objects.get(identifier="brest-mediatheque")
    assert brest.name == "Médiathèque François Mitterrand"
    assert brest.services == [
        "Aide aux démarches administratives",
        "Accès internet et matériel informatique",
    ]
    assert brest.national_schemes == ["France Services", "Conseillers numériques"]
    assert brest.publics == ["Seniors"]
    assert any("Tous publics" in warning["message"] for warning in report.warnings)
    quimper = Place.objects.get(identifier="quimper-ccas")
    assert quimper.national_schemes == ["Aidants Connect"]
    assert quimper.labels == ["Formé à « Mon Espace Santé »"]
    assert [row["identifier"] for row in report.rejected] == ["morlaix-asso"]
    assert "Code INSEE invalide" in report.rejected[0]["reasons"][0]


def test_json_file_imports_lists_and_rejects_an_unreadable_date():
    report = import_file("lieux.json")
    assert report.file_format == "json"
    assert report.created == 1
    assert report.rejected[0]["line"] == 2
    assert "Date de mise à jour" in report.rejected[0]["reasons"][0]
    place = Place.objects.get(identifier="lannion-tiers-lieu")
    assert place.fees == ["Payant"]


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("vide.csv", "empty", "Le fichier est vide."),
        ("pas_un_csv.txt", "not_csv_json", "ni un CSV ni un JSON"),
        ("colonnes_manquantes.csv", "missing_columns", "code_postal"),
        ("doublons_identifiants.csv", "duplicate_identifiers", "« lieu-1 » (lignes 2 et 3)"),
    ],
)
def test_unusable_files_are_refused_in_french_and_change_nothing(name, code, message):
    PlaceFactory(identifier="lieu-1", name="Avant")
    with pytest.raises(DomainError) as excinfo:
        import_file(name)
    assert excinfo.value.code == code
    assert message in excinfo.value.message
    assert Place.objects.get().name == "Avant"


def test_binary_and_broken_json_files_are_refused():
    with pytest.raises(DomainError) as excinfo:
        places_import(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00", filename="carte.png")
    assert excinfo.value.code == "not_csv_json"
    with pytest.raises(DomainError) as excinfo:
        places_import(data=b'[{"id": "a",', file_format="json")
    assert excinfo.value.code == "not_csv_json"


def test_dry_run_changes_nothing():
    report = import_file("lieux_bom_pointvirgule.csv", dry_run=True)
    assert report.created == 4
    assert not Place.objects.exists()
    assert not Organisation.objects.exists()


def test_second_import_is_unchanged_then_updates_by_identifier():
    import_file("lieux_bom_pointvirgule.csv")
    report = import_file("lieux_bom_pointvirgule.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    data = (
        (DATA / "lieux_bom_pointvirgule.csv")
        .read_bytes()
        .replace("Bibliothèque des Champs Libres".encode(), b"Les Champs Libres")
    )
    before = Place.objects.get(identifier="rennes-champs-libres").updated_at
    report = places_import(data=data)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    updated = Place.objects.get(identifier="rennes-champs-libres")
    assert updated.name == "Les Champs Libres"
    assert updated.updated_at > before
    assert Place.objects.count() == 4


def test_import_keeps_hand_edits_unless_the_source_is_newer(staff_user):
    import_file("lieux_bom_pointvirgule.csv")
    place = Place.objects.get(identifier="rennes-champs-libres")
    place_update(place=place, user=staff_user, data={"phone": "+33299999999"})
    renamed = (
        (DATA / "lieux_bom_pointvirgule.csv")
        .read_bytes()
        .replace(b"02 23 40 66 00", b"02 23 40 66 01")
    )
    report = places_import(data=renamed)
    assert report.protected == 2
    kept = Place.objects.get(pk=place.pk)
    assert kept.phone == "+33299999999"
    assert kept.source_updated_on == timezone.localdate()
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    newer = renamed.replace(b"2025-09-12", tomorrow.encode())
    places_import(data=newer)
    place.refresh_from_db()
    assert place.phone == "+33223406601"
    assert "phone" not in place.hub_edited_fields


def test_source_option_fills_rows_without_source():
    import_file("lieux.json", source="Conseil départemental 22")
    assert Place.objects.get().source == "Conseil départemental 22"


def test_duplicates_across_sources_are_listed():
    PlaceFactory(
        identifier="cartographie-nationale-42",
        name="Bibliotheque des Champs Libres",
        pivot="21350238800013",
        source="Cartographie nationale",
        latitude=48.1054,
        longitude=-1.6743,
    )
    PlaceFactory(
        identifier="autre-source-7",
        name="France Services du Blosne",
        address="7 boulevard de Yougoslavie",
        postcode="35200",
        source="Ville de Rennes",
    )
    report = import_file("lieux_bom_pointvirgule.csv")
    assert {(d["first"], d["second"]) for d in report.duplicates} == {
        ("cartographie-nationale-42", "rennes-champs-libres"),
        ("autre-source-7", "rennes-france-services-blosne"),
    }


def test_command_prints_summary_and_rejections(capsys):
    out = io.StringIO()
    call_command("import_lieux", str(DATA / "lieux_bom_pointvirgule.csv"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Ligne 7 rejetée (mauvais-cp) : Code postal invalide" in text
    assert "Ligne 6 (mauvais-service) : Valeur inconnue du standard, non reprise" in text
    assert (
        "Simulation (rien n'a été modifié) — 4 créés, 0 mis à jour, 0 inchangé, 3 rejetés" in text
    )
    assert not Place.objects.exists()
    with pytest.raises(CommandError, match="Le fichier est vide"):
        call_command("import_lieux", str(DATA / "vide.csv"))


def make_big_file(count: int) -> bytes:
    lines = [
        "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,horaires,date_maj,services"
    ]
    for n in range(count):
        lines.append(
            f"lieu-{n},{21350000000000 + n},Lieu {n},Rennes,35000,35238,{n} rue de Brest,"
            f"48.{n % 1000:03d},-1.6{n % 97:02d},Mo-Fr 09:00-17:00,2025-01-01,"
            "Aide aux démarches administratives|Accès internet et matériel informatique"
        )
    return "\n".join(lines).encode()


def test_import_is_bulk_with_a_bounded_number_of_queries(django_assert_max_num_queries):
    data = make_big_file(1500)
    started = time.monotonic()
    with django_assert_max_num_queries(30):
        report = places_import(data=data)
    assert report.created == 1500
    assert time.monotonic() - started < 20


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_command_shows_a_progress_bar_on_a_terminal():
    out = Terminal()
    call_command("import_lieux", str(DATA / "lieux.json"), "--format", "json", stdout=out)
    assert "[##############################] 100 %" in out.getvalue()
    assert "1 créé, 0 mis à jour, 0 inchangé, 1 rejeté" in out.getvalue()


def test_spreadsheet_headers_with_spaces_accents_and_case_are_read_as_the_standard_columns():
    header = "Identifiant;SIRET;Nom;Adresse;Code postal;COMMUNE;Téléphone;Date de mise à jour;Labels nationaux;Site-Web"
    row = "epn-1;;EPN de Dreux;1 rue A;2810;Dreux;02 37 00 00 01;01/02/2025;CNFS;https://epn.fr"
    report = places_import(data=f"{header}\n{row}\n".encode(), filename="tableur.csv")
    assert report.rejected == []
    place = Place.objects.get(identifier="epn-1")
    assert (place.name, place.postcode, place.commune) == ("EPN de Dreux", "02810", "Dreux")
    assert place.phone == "+33237000001"
    assert place.national_schemes == ["Conseillers numériques"]
    assert place.websites == ["https://epn.fr"]
    assert report.renamed_columns == {
        "Identifiant": "id",
        "Code postal": "code_postal",
        "Téléphone": "telephone",
        "Date de mise à jour": "date_maj",
        "Labels nationaux": "labels_nationaux",
        "Site-Web": "site_web",
    }
    assert report.mapped_columns == {
        "siret": "pivot",
        "labels_nationaux": "dispositif_programmes_nationaux",
    }


def test_json_keys_are_read_the_same_way():
    rows = [
        {
            "Identifiant": "a",
            "SIRET": "",
            "Nom": "Lieu",
            "Adresse": "1 rue A",
            "Code Postal": "35000",
            "Ville": "Rennes",
            "Date de mise à jour": "2025-01-01",
        }
    ]
    report = places_import(data=json.dumps(rows).encode(), filename="lieux.json")
    assert report.rejected == []
    assert Place.objects.get(identifier="a").commune == "Rennes"
    assert report.renamed_columns["Ville"] == "commune"


def test_the_command_says_which_headers_it_read_under_another_name(tmp_path):
    path = tmp_path / "tableur.csv"
    path.write_text(
        "Identifiant,Pivot,Nom,Adresse,Code postal,Commune,Date MAJ\n"
        "a,,Lieu,1 rue A,35000,Rennes,2025-01-01\n"
    )
    out = io.StringIO()
    call_command("import_lieux", str(path), stdout=out)
    assert "Colonne « Code postal » lue comme code_postal" in out.getvalue()
