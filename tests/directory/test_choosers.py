"""Places and structures are chosen in a searchable modal, not in a drop-down of every row."""

import json

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from tests.factories.accounts import hub_staff, numeritheque_manager
from tests.factories.directory import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff())
    return client


def modal_html(response) -> str:
    return json.loads(response.content)["html"]


def test_the_session_form_picks_its_venue_in_a_chooser_not_a_drop_down(staff_client):
    for index in range(30):
        PlaceFactory(name=f"Lieu {index}")
    html = staff_client.get("/admin/agenda/sessions/new/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("select[name=venue]") is None
    venue = soup.select_one("input[name=venue]")
    assert venue is not None and venue["type"] == "hidden"
    assert reverse("directory_place_chooser:choose") in html
    assert "Choisir un lieu" in html


def test_the_place_chooser_searches_by_name_commune_and_postcode(staff_client):
    PlaceFactory(name="Médiathèque des Ursulines", commune="Quimper", postcode="29000")
    PlaceFactory(name="Espace numérique", commune="Rennes", postcode="35000")
    url = reverse("directory_place_chooser:choose_results")
    for query in ("ursulines", "quimper", "29000", "médiathèque quimper"):
        html = staff_client.get(url, {"q": query}).content.decode()
        assert "Médiathèque des Ursulines" in html and "Espace numérique" not in html, query
    html = staff_client.get(url, {"q": "rennes quimper"}).content.decode()
    assert "Ursulines" not in html and "Espace numérique" not in html
    first = staff_client.get(reverse("directory_place_chooser:choose"))
    assert "Nom, commune ou code postal" in modal_html(first)


def test_choosing_a_place_returns_its_id_and_name(staff_client):
    place = PlaceFactory(name="Tiers-lieu du port", commune="Lorient")
    response = staff_client.get(reverse("directory_place_chooser:chosen", args=[place.pk]))
    result = json.loads(response.content)["result"]
    assert result["id"] == str(place.pk) and "Tiers-lieu du port" in result["title"]


def test_the_organisation_chooser_searches_by_name_and_siret(staff_client):
    OrganisationFactory(name="CCAS de Villejean", siret="12345678900011")
    OrganisationFactory(name="Association Le Lien", siret="98765432100022")
    url = reverse("directory_organisation_chooser:choose_results")
    for query in ("villejean", "123456789"):
        html = staff_client.get(url, {"q": query}).content.decode()
        assert "CCAS de Villejean" in html and "Le Lien" not in html


def test_the_numeritheque_team_chooses_an_items_place_in_the_chooser(client):
    PlaceFactory(name="Médiathèque de Vitré", commune="Vitré")
    client.force_login(numeritheque_manager())
    html = client.get("/admin/numeritheque/materiel/new/").content.decode()
    assert BeautifulSoup(html, "html.parser").select_one("select[name=home_place]") is None
    results = client.get(reverse("directory_place_chooser:choose_results"), {"q": "vitré"})
    assert "Médiathèque de Vitré" in results.content.decode()


def test_a_person_without_admin_access_cannot_list_through_the_chooser(client, user):
    client.force_login(user)
    response = client.get(reverse("directory_place_chooser:choose_results"))
    assert response.status_code == 403


def test_a_venue_that_is_no_id_is_refused_not_a_server_error(staff_client):
    response = staff_client.post("/admin/agenda/sessions/new/", {"venue": " ", "title": "x"})
    assert response.status_code in (200, 400)
    assert "Choisir un lieu" in response.content.decode()
