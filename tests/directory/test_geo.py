"""The directory is the one owner of geography: the commune lookup, the distance (in Python
and in SQL) and the bounding box that every app's "near" filter uses."""

import math

import pytest

from directory import geo
from directory.models import Commune, Place
from directory.selectors import commune_find, commune_locate, within_radius
from directory.services import communes_load
from tests.factories.directory import PlaceFactory

RENNES = (48.11198, -1.68186)
BREST = (48.39029, -4.48628)


def test_distance_rennes_brest_is_about_210_km():
    assert geo.distance_km(*RENNES, *BREST) == pytest.approx(209.6, abs=0.5)
    assert geo.distance_km(*RENNES, *RENNES) == 0


def _destination(latitude, longitude, bearing_degrees, km):
    """The point `km` away on `bearing` (great circle)."""
    phi, lam, theta = map(math.radians, (latitude, longitude, bearing_degrees))
    delta = km / geo.EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lam2)


@pytest.mark.parametrize("latitude", [0.0, 48.1, -45.0, 80.0])
def test_bounding_box_contains_the_circle(latitude):
    box = geo.bounding_box(latitude, 10.0, 50, prefix="venue__")
    for bearing in range(0, 360, 5):
        lat, lon = _destination(latitude, 10.0, bearing, 49.999)
        assert geo.distance_km(latitude, 10.0, lat, lon) == pytest.approx(49.999, rel=1e-6)
        assert box["venue__latitude__gte"] <= lat <= box["venue__latitude__lte"]
        assert box["venue__longitude__gte"] <= lon <= box["venue__longitude__lte"]


@pytest.mark.django_db
def test_within_radius_agrees_with_python_and_leaves_out_the_far_and_unplaced():
    rennes = PlaceFactory(latitude=RENNES[0], longitude=RENNES[1])
    brest = PlaceFactory(latitude=BREST[0], longitude=BREST[1])
    PlaceFactory(latitude=None, longitude=None)
    near = within_radius(Place.objects.all(), latitude=48.0, longitude=-1.7, radius_km=50)
    assert [place.pk for place in near] == [rennes.pk]
    assert near[0].distance_km == pytest.approx(geo.distance_km(48.0, -1.7, *RENNES), rel=1e-9)
    wide = within_radius(Place.objects.all(), latitude=48.0, longitude=-1.7, radius_km=250)
    assert {place.pk for place in wide} == {rennes.pk, brest.pk}


def test_commune_key_ignores_case_accents_hyphens_and_apostrophes():
    assert geo.commune_key("Cesson-Sévigné") == geo.commune_key(" cesson  SEVIGNE ")
    assert geo.commune_key("L'Hôpital-Camfrout") == geo.commune_key("l’hopital camfrout")


class TestCommuneLookup:
    def test_by_postcode_insee_code_and_name(self, communes):
        assert [c.name for c in commune_find(query="35000")] == ["Rennes"]
        assert commune_find(query="35238")[0].name == "Rennes"
        assert commune_find(query="quimper")[0].insee_code == "29232"
        assert commune_find(query="Saint-Bri")[0].name.startswith("Saint-Bri")

    def test_accents_and_hyphens_do_not_matter(self, communes):
        assert commune_locate(query="cesson sevigne").name == "Cesson-Sévigné"
        assert commune_locate(query="Saint Malo").name == "Saint-Malo"
        assert commune_locate(query="CHATEAUGIRON").name == "Châteaugiron"

    def test_name_with_postcode_or_departement_picks_the_right_homonym(self, communes):
        assert [c.insee_code for c in commune_find(query="Plouhinec")] == ["29197", "56169"]
        assert commune_locate(query="Plouhinec (56680)").insee_code == "56169"
        assert commune_locate(query="plouhinec (56)").insee_code == "56169"
        assert commune_locate(query="Plouhinec (29780)").insee_code == "29197"
        # A code that does not fit falls back on the name.
        assert commune_locate(query="Plouhinec (75001)").insee_code == "29197"

    def test_corsican_insee_code(self, db):
        communes_load(departements=["2A"])
        assert commune_locate(query="2a004").name == "Ajaccio"
        assert commune_locate(query="Ajaccio (2A)").insee_code == "2A004"

    def test_unknown_or_empty_is_nothing(self, communes):
        assert commune_find(query="99999") == []
        assert commune_find(query="") == []
        assert commune_find(query=" - ' ") == []
        assert commune_locate(query="Atlantide") is None

    def test_a_renamed_commune_is_found_by_its_new_name(self, communes):
        commune = Commune.objects.get(insee_code="35238")
        commune.name = "Roazhon"
        commune.save(update_fields=["name"])
        assert commune_locate(query="roazhon").insee_code == "35238"
