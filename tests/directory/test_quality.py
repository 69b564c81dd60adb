"""The quality score of a fiche (freshness as data·inclusion counts it, contact, hours,
services, position), shown to staff and the place's manager, and the stale list."""

import datetime

import pytest

from directory import quality
from directory.models import Departement, Place
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory, StructureMembershipFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("age_days", "expected"),
    [(0, 1.0), (182, 1.0), (456, 0.5), (730, 0.0), (1000, 0.0), (None, 0.0)],
)
def test_freshness_is_full_under_six_months_and_nothing_after_two_years(age_days, expected):
    updated = None if age_days is None else TODAY - datetime.timedelta(days=age_days)
    assert quality.freshness(updated, TODAY) == pytest.approx(expected)


def test_a_complete_fresh_fiche_scores_100_and_each_gap_says_what_to_fix():
    complete = PlaceFactory(
        phone="+33299000000",
        opening_hours="Mo-Fr 09:00-12:00",
        services=["Aide aux démarches administratives"],
        source_updated_on=TODAY,
    )
    assert quality.place_score(complete, TODAY) == {"score": 100, "fixes": []}
    poor = PlaceFactory(latitude=None, longitude=None, opening_hours="le matin")
    Place.objects.filter(pk=poor.pk).update(opening_hours_valid=False)
    poor.refresh_from_db()
    result = quality.place_score(poor, TODAY)
    assert result["score"] == 0
    assert len(result["fixes"]) == 5
    assert "Indiquer les services proposés" in result["fixes"]


def test_score_is_shown_to_staff_and_manager_not_to_the_public(client, staff_user):
    place = PlaceFactory()
    assert "Qualité de la fiche" not in client.get(f"/annuaire/{place.pk}/").content.decode()
    manager = UserFactory()
    StructureMembershipFactory(user=manager, organisation=place.organisation, is_manager=True)
    for user in (manager, staff_user):
        client.force_login(user)
        assert "Qualité de la fiche" in client.get(f"/annuaire/{place.pk}/").content.decode()


def test_stale_list_per_departement_oldest_first(client, staff_user):
    Departement.objects.create(code="35", name="Ille-et-Vilaine")
    PlaceFactory(name="Ancienne", source_updated_on=datetime.date(2020, 1, 1))
    PlaceFactory(name="Jamais datée", source_updated_on=None)
    PlaceFactory(name="Récente", source_updated_on=datetime.date.today())
    PlaceFactory(name="Ailleurs", departement="29", source_updated_on=None)
    client.force_login(staff_user)
    page = client.get("/annuaire/fiches-anciennes/", {"departement": "35"}).content.decode()
    assert page.index("Jamais datée") < page.index("Ancienne")
    assert "Récente" not in page and "Ailleurs" not in page
