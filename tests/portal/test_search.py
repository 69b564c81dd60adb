"""The portal's one search (issue 22 §1): every type, grouped, in French on SQLite and
PostgreSQL alike (plural, accents, a commune, an item, a new session), typo-tolerant for
communes, filtered by type, at a constant number of queries."""

import pytest

from core.search import search_terms
from numeritheque.models import Kit
from portal.models import ContentPage, HomePage
from portal.search import portal_search
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.numeritheque import CategoryFactory, ItemFactory
from tests.factories.peer_exchange import peer_format
from tests.factories.trainings import training_page, training_session

pytestmark = pytest.mark.django_db


def titles(outcome, key: str) -> list[str]:
    group = next((group for group in outcome.groups if group.key == key), None)
    return [result.title for result in group.results] if group else []


def test_french_terms_ignore_accents_plural_and_stop_words():
    assert search_terms("Les formations numériques") == search_terms("formation numerique")
    assert search_terms("de la") == []


def test_singular_and_plural_find_the_same_trainings():
    training_page(title="Formation au numérique responsable")
    training_page(title="Formations aux démarches en ligne")
    singular = titles(portal_search(query="formation"), "formations")
    plural = titles(portal_search(query="formations"), "formations")
    assert sorted(singular) == sorted(plural)
    assert len(singular) == 2


def test_a_word_typed_without_accents_finds_accented_text():
    training_page(title="Médiation numérique et parentalité")
    assert titles(portal_search(query="numerique"), "formations") == [
        "Médiation numérique et parentalité"
    ]
    assert titles(portal_search(query="MEDIATION"), "formations")


def test_a_commune_finds_its_places_sessions_and_items():
    place = PlaceFactory(
        name="Médiathèque des Ursulines", commune="Quimper", postcode="29000", departement="29"
    )
    SessionFactory(venue=place)
    ItemFactory(name="Imprimante 3D Prusa", home_place=place)
    outcome = portal_search(query="Quimper")
    assert titles(outcome, "lieux") == ["Médiathèque des Ursulines"]
    assert len(titles(outcome, "sessions")) == 1
    assert titles(outcome, "materiel") == ["Imprimante 3D Prusa"]
    places = next(group for group in outcome.groups if group.key == "lieux")
    assert "Quimper" in places.results[0].context


def test_an_item_and_its_kit_are_found_with_their_availability_and_pick_up_commune():
    place = PlaceFactory(commune="Brest", postcode="29200")
    tablet = ItemFactory(
        name="Tablette Samsung Galaxy Tab", home_place=place, category=CategoryFactory()
    )
    kit = Kit.objects.create(name="Valise de tablettes", description="Pour un atelier.")
    kit.items.add(tablet)
    ItemFactory(name="Casque de réalité virtuelle")
    outcome = portal_search(query="tablette")
    items = next(group for group in outcome.groups if group.key == "materiel")
    assert [result.title for result in items.results] == ["Tablette Samsung Galaxy Tab"]
    assert "retrait à Brest" in items.results[0].context
    assert "disponible aujourd'hui" in items.results[0].context
    assert titles(outcome, "kits") == ["Valise de tablettes"]


def test_a_session_created_a_moment_ago_is_found_at_once():
    training = training_page(title="Atelier cybersécurité")
    assert titles(portal_search(query="cybersecurite"), "sessions") == []
    training_session(training, days=3)
    assert titles(portal_search(query="cybersécurité"), "sessions") == ["Atelier cybersécurité"]


def test_upcoming_sessions_come_before_past_ones():
    import datetime

    from django.utils import timezone

    page = conference_page(title="Rencontre régionale du numérique")
    past = timezone.now() - datetime.timedelta(days=30)
    SessionFactory(page=page, start=past, end=past + datetime.timedelta(hours=2))
    SessionFactory(page=page)
    group = next(g for g in portal_search(query="rencontre").groups if g.key == "sessions")
    assert "passée" not in group.results[0].context
    assert "passée" in group.results[1].context


def test_conferences_peer_formats_and_content_pages_are_their_own_groups():
    conference_page(title="Webinaire France Connect")
    peer_format(title="Café conseil France Services")
    HomePage.objects.get().add_child(
        instance=ContentPage(title="France Services en Bretagne", slug="fs", intro="Le réseau.")
    )
    outcome = portal_search(query="france")
    assert titles(outcome, "rencontres") == ["Webinaire France Connect"]
    assert titles(outcome, "echanges") == ["Café conseil France Services"]
    assert titles(outcome, "pages") == ["France Services en Bretagne"]


def test_a_misspelt_commune_is_corrected():
    PlaceFactory(name="Maison France Services", commune="Quimper", postcode="29000")
    outcome = portal_search(query="Quimpre")
    assert outcome.corrected == "Quimper"
    assert titles(outcome, "lieux") == ["Maison France Services"]
    assert portal_search(query="Zzyzx").corrected == ""


def test_type_filter_keeps_only_the_chosen_types(client):
    place = PlaceFactory(name="Tiers-lieu de la tablette", commune="Lannion")
    ItemFactory(name="Tablette iPad", home_place=place)
    outcome = portal_search(query="tablette", types=("materiel",))
    assert [group.key for group in outcome.groups] == ["materiel"]
    html = client.get("/recherche/", {"q": "tablette", "type": "lieux"}).content.decode()
    assert "Tiers-lieu de la tablette" in html
    assert "Tablette iPad" not in html


def test_results_page_groups_with_a_heading_and_context_line(client):
    place = PlaceFactory(commune="Quimper", postcode="29000")
    ItemFactory(name="Tablette Lenovo", home_place=place)
    response = client.get("/recherche/", {"q": "tablettes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="titre-materiel">Matériel à emprunter</h2>' in html
    assert 'href="#resultats-materiel"' in html
    assert "retrait à Quimper" in html


def test_a_search_costs_the_same_queries_with_one_or_many_rows(
    client, django_assert_max_num_queries
):
    def fill(count: int):
        for number in range(count):
            place = PlaceFactory(name=f"Atelier numérique {number}", commune="Quimper")
            ItemFactory(name=f"Tablette numérique {number}", home_place=place)
            SessionFactory(page=conference_page(title=f"Atelier numérique {number}"), venue=place)
            training_page(title=f"Atelier numérique formation {number}")
        kit = Kit.objects.create(name=f"Kit numérique {count}")
        kit.items.set(place.numeritheque_items.all())

    fill(1)
    client.get("/recherche/", {"q": "numérique"})  # first visit writes settings
    with django_assert_max_num_queries(25) as few:
        client.get("/recherche/", {"q": "numérique"})
    fill(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/recherche/", {"q": "numérique"})
    html = response.content.decode()
    assert "Tablette numérique 3" in html
    assert "type=materiel" in html  # « Tous les résultats » of a group that has more
