import datetime
import io

from django.core.management import call_command

import pytest

from accounts.services import user_delete, user_export_data
from core.errors import DomainError
from directory import hours, standard
from directory.models import Commune, Epci, Place, PlaceChange, StructureMembership
from directory.selectors import place_list_near
from directory.services import place_update
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory, StructureMembershipFactory

TUESDAY_10 = datetime.datetime(2026, 11, 24, 10, 0)


def test_vocabularies_come_from_the_schema():
    assert len(standard.field_names()) == 32
    vocabularies = standard.vocabularies()
    assert len(vocabularies[standard.SERVICES]) == 9
    assert "Langues étrangères (anglais)" in vocabularies[standard.PRISE_EN_CHARGE]
    assert "Relais numérique (Emmaüs Connect)" in vocabularies[standard.DISPOSITIFS]
    assert standard.canonical(standard.FRAIS, " gratuit ") == "Gratuit"
    assert standard.canonical(standard.MODALITES_ACCES, "Ce lieu n’accueille pas de public")


@pytest.mark.parametrize(
    ("text", "moment", "label"),
    [
        ("Mo-Fr 09:00-12:00,14:00-17:00", TUESDAY_10, "Ouvert maintenant, ferme à 12 h"),
        ("Mo-Fr 09:00-12:00,14:00-17:30", TUESDAY_10.replace(hour=13), "Fermé, ouvre à 14 h"),
        ("Mo-Fr 09:00-12:00", TUESDAY_10.replace(hour=18), "Fermé, ouvre demain à 9 h"),
        ("Mo 09:30-12:00", TUESDAY_10, "Fermé, ouvre lundi à 9 h 30"),
        ("24/7", TUESDAY_10, "Ouvert maintenant"),
    ],
)
def test_hours_in_plain_french(text, moment, label):
    assert hours.status(text, moment)["label"] == label


def test_unreadable_hours_have_no_status_and_week_table():
    assert hours.status("le mardi après-midi", TUESDAY_10) is None
    assert hours.week("", TUESDAY_10.date()) == []
    week = hours.week("Tu 09:00-12:00,14:00-17:00", TUESDAY_10.date())
    assert (week[0]["name"], week[0]["label"]) == ("mardi", "9 h – 12 h, 14 h – 17 h")
    assert week[1]["label"] == "fermé"


@pytest.mark.django_db
def test_load_communes_command_loads_a_departement_with_epci(communes):
    call_command("load_communes", "--departement", "29", stdout=io.StringIO())
    brest = Commune.objects.get(insee_code="29019")
    assert brest.name == "Brest"
    assert brest.epci.name == "Brest Métropole"
    assert brest.departement.name == "Finistère"
    assert Epci.objects.filter(communes__departement="29").exists()


@pytest.mark.django_db
def test_place_list_near_uses_the_exact_circle_nearest_first():
    rennes = PlaceFactory(name="Rennes", latitude=48.1113, longitude=-1.68)
    cesson = PlaceFactory(name="Cesson", latitude=48.1213, longitude=-1.603)
    PlaceFactory(name="Coin de la boîte", latitude=48.1113 + 0.088, longitude=-1.68 + 0.13)
    found = place_list_near(latitude=48.1113, longitude=-1.68, radius_km=10)
    assert found == [rennes, cesson]
    assert found[1].distance_km == pytest.approx(5.8, abs=0.1)


@pytest.mark.django_db
def test_multi_value_field_rejects_values_outside_the_standard(staff_user):
    place = PlaceFactory()
    with pytest.raises(DomainError) as excinfo:
        place_update(place=place, user=staff_user, data={"services": ["Réparation de vélos"]})
    assert excinfo.value.code == "invalid"
    assert Place.objects.get(pk=place.pk).services == []
    assert not PlaceChange.objects.exists()


@pytest.mark.django_db
def test_personal_data_covers_memberships_and_edits():
    user = UserFactory()
    membership = StructureMembershipFactory(user=user)
    place = PlaceFactory(organisation=membership.organisation)
    place_update(place=place, user=user, data={"phone": "+33299000000"})
    data = user_export_data(user=user)["directory"]
    assert data["structures"][0]["siret"] == membership.organisation.siret
    assert data["modifications_de_lieux"][0]["champs"] == ["phone"]
    user_delete(user=user)
    assert not StructureMembership.objects.exists()
    assert PlaceChange.objects.get().user is None
