"""« Agenda près de chez moi » (issue 17 §7): the agenda keeps the sessions held within a
radius of a commune or postcode, like the training search; an unknown commune or a radius
outside the list is said in French next to its field."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory.models import Commune
from tests.factories.events import SessionFactory, agenda_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(communes):
    page = agenda_index()
    SessionFactory(title="Atelier à Rennes", venue__commune="Rennes")
    SessionFactory(
        title="Atelier à Brest",
        venue__commune="Brest",
        venue__postcode="29200",
        venue__departement="29",
        venue__latitude=48.3904,
        venue__longitude=-4.4861,
    )
    SessionFactory(
        title="Permanence hors les murs à Cesson-Sévigné",
        venue=None,
        outside_commune=Commune.objects.get(name="Cesson-Sévigné"),
        departement="35",
    )
    SessionFactory(title="Webinaire en ligne", venue=None)
    return page


def test_near_a_commune_keeps_the_sessions_within_the_radius(client, agenda):
    html = client.get(agenda.url, {"near": "Rennes", "radius": "20"}).content.decode()
    assert "Atelier à Rennes" in html
    assert "Permanence hors les murs à Cesson-Sévigné" in html
    assert "Atelier à Brest" not in html
    assert "Webinaire en ligne" not in html
    wide = client.get(agenda.url, {"near": "35000", "radius": "100"}).content.decode()
    assert "Atelier à Brest" not in wide
    widest = client.get(agenda.url, {"near": "rennes", "radius": "100"}).content.decode()
    assert "Atelier à Rennes" in widest and "Atelier à Brest" not in widest


def test_brest_is_reached_from_quimper_within_100_km(client, agenda):
    html = client.get(agenda.url, {"near": "Quimper", "radius": "100"}).content.decode()
    assert "Atelier à Brest" in html
    assert "Atelier à Rennes" not in html


def test_an_unknown_commune_is_said_in_french_next_to_the_field(client, agenda):
    response = client.get(agenda.url, {"near": "Zzyzx", "radius": "20"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Commune ou code postal inconnu : « Zzyzx »" in html
    assert '<details class="filters-disclosure" open>' in html
    # The other filters still apply; the unknown commune limits nothing.
    assert "Atelier à Rennes" in html and "Atelier à Brest" in html


def test_a_radius_outside_the_list_is_refused_in_french(client, agenda):
    html = client.get(agenda.url, {"near": "Rennes", "radius": "9999"}).content.decode()
    assert "Choisissez un rayon dans la liste." in html


def test_the_near_filter_costs_a_constant_number_of_queries(client, agenda):
    client.get(agenda.url, {"near": "Rennes", "radius": "20"})  # warm the caches
    with CaptureQueriesContext(connection) as few:
        client.get(agenda.url, {"near": "Rennes", "radius": "20"})
    for number in range(10):
        SessionFactory(title=f"Autre atelier {number}", venue__commune="Rennes")
    client.get(agenda.url, {"near": "Rennes", "radius": "20"})
    with CaptureQueriesContext(connection) as many:
        client.get(agenda.url, {"near": "Rennes", "radius": "20"})
    assert "Autre atelier 9" in client.get(agenda.url, {"near": "Rennes"}).content.decode()
    assert len(many) == len(few)


def test_the_radius_sent_back_with_the_form_is_not_counted_as_a_filter(client, agenda):
    """« Filtrer (1 filtre actif) » for a commune with the usual radius: the select always
    sends its value, which filters nothing alone."""
    near = client.get(agenda.url, {"near": "Rennes", "radius": "30"}).content.decode()
    assert "Filtrer (1 filtre actif)" in near
    wider = client.get(agenda.url, {"near": "Rennes", "radius": "50"}).content.decode()
    assert "Filtrer (2 filtres actifs)" in wider
    nothing = client.get(agenda.url, {"near": "", "radius": "30"}).content.decode()
    assert "<summary>Filtrer</summary>" in nothing
