"""The admin's searchable choosers share one search form, one listing and one widget
(core.choosers): places, structures and people are searched word by word, list their own
columns, and a posted value that is no id is no one, whichever chooser it came through."""

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from accounts.choosers import person_chooser_viewset
from core.choosers import IdChooser, SearchChooserViewSet, WordSearchForm
from directory.choosers import organisation_chooser_viewset, place_chooser_viewset
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

VIEWSETS = [place_chooser_viewset, organisation_chooser_viewset, person_chooser_viewset]


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff(email="equipe@hub.fr"))
    return client


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda viewset: viewset.name)
def test_every_chooser_stands_on_the_shared_one(viewset):
    assert isinstance(viewset, SearchChooserViewSet)
    assert issubclass(viewset.search_form_class, WordSearchForm)
    assert viewset.search_form_class.search_fields
    assert issubclass(viewset.widget_class, IdChooser)


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda viewset: viewset.name)
def test_a_posted_value_that_is_no_id_is_no_one(viewset):
    widget = viewset.widget_class()
    assert widget.get_instance(" abc ") is None
    assert widget.get_instance("12 OR 1=1") is None


@pytest.mark.parametrize(
    ("url_name", "placeholder", "columns", "make", "query", "shown"),
    [
        (
            "directory_place_chooser:choose",
            "Nom, commune ou code postal",
            ["Commune", "Code postal"],
            lambda: PlaceFactory(name="Médiathèque des Ursulines", commune="Quimper"),
            "ursulines quimper",
            "Médiathèque des Ursulines",
        ),
        (
            "directory_organisation_chooser:choose",
            "Nom ou SIRET",
            [],
            lambda: OrganisationFactory(name="CCAS de Villejean"),
            "ccas villejean",
            "CCAS de Villejean",
        ),
        (
            "accounts_person_chooser:choose",
            "Nom, prénom ou adresse électronique",
            ["Adresse électronique"],
            lambda: UserFactory(first_name="Alex", last_name="Martin", email="alex@quimper.fr"),
            "martin quimper.fr",
            "alex@quimper.fr",
        ),
    ],
)
def test_each_modal_has_its_placeholder_columns_and_word_search(
    staff_client, url_name, placeholder, columns, make, query, shown
):
    make()
    response = staff_client.get(reverse(url_name), {"q": query})
    payload = response.json()
    soup = BeautifulSoup(payload["html"], "html.parser")
    assert soup.select_one("input[name=q]")["placeholder"] == placeholder
    headers = [th.get_text(strip=True) for th in soup.select("th")]
    assert headers[1:] == columns
    assert shown in payload["html"]
