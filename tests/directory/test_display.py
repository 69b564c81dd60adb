"""Imported values said to people: communes in capitals title-cased, E.164 phones by pairs,
public holidays in French, unreadable hours « à confirmer » with the raw text for staff only."""

import pytest

from directory import display
from directory.models import Place
from directory.services import communes_load, places_import
from tests.factories.directory import PlaceFactory


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("CHATEAUBERNARD", "Chateaubernard"),
        ("SAINT-JEAN-DE-LUZ", "Saint-Jean-de-Luz"),
        ("L'ISLE-SUR-LA-SORGUE", "L'Isle-sur-la-Sorgue"),
        ("Aix-en-Provence", "Aix-en-Provence"),
    ],
)
def test_communes_in_capitals_are_title_cased(raw, shown):
    assert display.commune(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("+33630392518", "06 30 39 25 18"),
        ("+590590123456", "05 90 12 34 56"),
        ("+687123456", "+687 12 34 56"),
        ("0299", "0299"),
    ],
)
def test_phones_are_written_by_pairs(raw, shown):
    assert display.phone(raw) == shown


def test_public_holidays_are_said():
    assert display.holidays("Mo 09:30-12:30; PH off") == "Fermé les jours fériés"
    assert display.holidays("Mo 09:30-12:30") == ""


@pytest.mark.django_db
def test_import_writes_a_capitalised_commune_as_the_cog_does():
    communes_load(departements=["16"])
    header = "id,pivot,nom,commune,code_postal,code_insee,adresse,date_maj"
    places_import(
        data=f"{header}\na,,Espace,CHATEAUBERNARD,16100,16089,1 rue A,2025-01-01\n".encode()
    )
    assert Place.objects.get().commune == "Châteaubernard"


@pytest.mark.django_db
def test_fiche_says_phone_holidays_and_hides_unreadable_hours_from_the_public(client, staff_user):
    readable = PlaceFactory(
        commune="CHATEAUBERNARD", phone="+33630392518", opening_hours="Mo 09:30-12:30; PH off"
    )
    page = client.get(f"/annuaire/{readable.pk}/").content.decode()
    assert "06 30 39 25 18" in page and "Chateaubernard" in page
    assert "Fermé les jours fériés" in page
    unreadable = PlaceFactory(opening_hours="le mardi après-midi", opening_hours_valid=False)
    page = client.get(f"/annuaire/{unreadable.pk}/").content.decode()
    assert "Horaires à confirmer" in page and "le mardi après-midi" not in page
    client.force_login(staff_user)
    page = client.get(f"/annuaire/{unreadable.pk}/").content.decode()
    assert "le mardi après-midi" in page
