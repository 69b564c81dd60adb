"""The import report leaves the admin (CSV, printable page) with every rejected and warned line;
bad files get a clear French message and a crash writes nothing."""

import pytest

from core.errors import DomainError
from directory import services
from directory.models import Organisation, Place, PlaceImport
from directory.services import imports, places_import
from tests.factories.accounts import UserFactory

from .conftest import DATA
from .test_admin import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def previewed(client, staff_user):
    client.force_login(staff_user)
    upload(client, "lieux_bom_pointvirgule.csv")
    return PlaceImport.objects.get()


def test_report_downloads_as_csv_with_every_rejected_and_warned_line(client, previewed):
    response = client.get(f"/admin/annuaire/import/{previewed.pk}/rapport.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == "Ligne;Identifiant;Type;Raison"
    assert "5;sans-nom;rejetée;Nom manquant" in lines
    assert any(line.startswith("6;mauvais-service;avertissement;Valeur inconnue") for line in lines)
    assert any(
        line.startswith("3;rennes-france-services-blosne;avertissement;Date") for line in lines
    )
    assert len(lines) == 1 + 3 + len(previewed.preview["warnings"])


def test_report_prints_on_its_own_page(client, previewed):
    page = client.get(f"/admin/annuaire/import/{previewed.pk}/rapport/").content.decode()
    assert "Rapport d'import de lieux" in page
    assert "<td>mauvais-cp</td>" in page
    assert "rapport.csv" in client.get(f"/admin/annuaire/import/{previewed.pk}/").content.decode()


def test_report_cells_are_never_spreadsheet_formulas(client, staff_user):
    client.force_login(staff_user)
    header = "id,pivot,nom,commune,code_postal,adresse,date_maj"
    data = f'{header}\n"=HYPERLINK(""http://x"")",,,Rennes,35000,1 rue A,2025-01-01\n'.encode()
    place_import = PlaceImport.objects.create(
        preview=services.places_import(data=data, dry_run=True).as_dict()
    )
    text = client.get(f"/admin/annuaire/import/{place_import.pk}/rapport.csv").getvalue().decode()
    assert "\"'=HYPERLINK" in text


def test_report_is_for_hub_staff_only(client, previewed):
    client.force_login(UserFactory())
    response = client.get(f"/admin/annuaire/import/{previewed.pk}/rapport.csv")
    assert response.status_code == 403 and b"Ligne" not in response.content


def test_quoted_newlines_keep_the_line_numbers_of_the_file():
    header = "id,pivot,nom,commune,code_postal,adresse,date_maj,presentation_detail"
    data = (
        f'{header}\na,,Lieu A,Rennes,35000,1 rue A,2025-01-01,"Sur\ndeux lignes"\n'
        "b,,,Rennes,35000,2 rue B,2025-01-01,\n"
    ).encode()
    report = places_import(data=data, dry_run=True)
    assert [(row["line"], row["identifier"]) for row in report.rejected] == [(4, "b")]


def test_a_file_over_the_limit_is_refused_before_reading(settings):
    settings.MAILLAGE_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    with pytest.raises(DomainError) as excinfo:
        places_import(data=b"x" * (50 * 1024 * 1024 + 1))
    assert excinfo.value.code == "too_large"
    assert "Fichier trop volumineux (50,0\xa0Mio" in excinfo.value.message


def test_a_json_object_instead_of_a_list_is_explained():
    with pytest.raises(DomainError) as excinfo:
        places_import(data=b'{"type": "FeatureCollection", "name": "lieux"}', file_format="json")
    assert "Le JSON est un objet, pas une liste de lieux" in excinfo.value.message
    assert "type, name" in excinfo.value.message


def test_a_crash_mid_import_leaves_nothing_half_written(monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("le serveur s'est arrêté")

    monkeypatch.setattr(imports, "duplicates_find", crash)
    with pytest.raises(RuntimeError):
        places_import(data=(DATA / "lieux_bom_pointvirgule.csv").read_bytes())
    assert not Place.objects.exists() and not Organisation.objects.exists()
