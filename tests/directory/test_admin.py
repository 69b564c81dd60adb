from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from directory.models import Place, PlaceChange, PlaceImport
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory

from .conftest import DATA

pytestmark = pytest.mark.django_db


def upload(client, name):
    return client.post(
        reverse("directory_admin:import_upload"),
        {"file": SimpleUploadedFile(name, (DATA / name).read_bytes()), "source": "Hub"},
    )


def test_admin_import_previews_then_runs_through_celery(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    response = upload(client, "lieux_bom_pointvirgule.csv")
    place_import = PlaceImport.objects.get()
    assert response.url == reverse("directory_admin:import_detail", args=[place_import.pk])
    assert not Place.objects.exists()
    preview = client.get(response.url).content.decode()
    assert "Aperçu" in preview and "Valeur inconnue du standard" in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_admin:import_run", args=[place_import.pk]))
    place_import.refresh_from_db()
    assert place_import.status == PlaceImport.Status.DONE
    assert place_import.report["created"] == 4
    assert place_import.progress == place_import.total == 7
    assert Place.objects.count() == 4
    again = client.post(reverse("directory_admin:import_run", args=[place_import.pk]), follow=True)
    assert "déjà été lancé" in again.content.decode()


def test_admin_import_refuses_an_empty_file_in_french(client, staff_user):
    client.force_login(staff_user)
    response = upload(client, "vide.csv")
    assert response.status_code == 400
    assert "est vide" in response.content.decode()
    assert not PlaceImport.objects.exists()


def test_admin_import_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("directory_admin:import_upload")).status_code in (302, 403)


def test_admin_edit_goes_through_the_service_and_duplicates_are_listed(client, staff_user):
    place = PlaceFactory(name="Médiathèque", source="A")
    PlaceFactory(name="Médiathèque", source="B")
    client.force_login(staff_user)
    assert (
        "même nom et même adresse"
        in client.get(reverse("directory_admin:duplicates")).content.decode()
    )
    edit = reverse("directory_place:edit", args=[place.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "name": "Médiathèque des Champs",
            "address": place.address,
            "postcode": "35000",
            "commune": "Rennes",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PlaceChange.objects.get().changes["name"] == ["Médiathèque", "Médiathèque des Champs"]
    assert Place.objects.get(pk=place.pk).hub_edited_fields == ["name", "source_updated_on"]
