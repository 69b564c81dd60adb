import datetime

from django.test import RequestFactory
from django.utils import timezone

import pytest

from directory.selectors import commune_locate
from events import services as event_services
from taxonomy.models import Competence, Theme
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory
from tests.factories.trainings import training_index, training_page, training_session
from trainings.models import TrainingPage
from trainings.selectors import training_list_catalogue

pytestmark = pytest.mark.django_db

RENNES = {
    "postcode": "35000",
    "commune": "Rennes",
    "departement": "35",
    "latitude": 48.11198,
    "longitude": -1.68186,
}
BREST = {
    "postcode": "29200",
    "commune": "Brest",
    "departement": "29",
    "latitude": 48.39029,
    "longitude": -4.48628,
}


def titles(**filters):
    return [training.title for training in training_list_catalogue(**filters)]


@pytest.fixture
def theme():
    return Theme.objects.order_by("position").first()


class TestCatalogueFilters:
    def test_sorted_by_next_date_without_date_last(self):
        later, sooner, undated = (
            training_page(title="B"),
            training_page(title="A"),
            training_page(title="C"),
        )
        training_session(later, days=20)
        training_session(sooner, days=5)
        assert undated
        assert titles() == ["A", "B", "C"]

    def test_theme_competence_level_format_free(self, theme):
        competence = Competence.objects.create(name="Utiliser FranceConnect", slug="franceconnect")
        match = training_page(
            title="Match",
            themes=[theme],
            competences=[competence],
            level="expert",
            format="distanciel",
        )
        training_page(title="Payante", cost=120)
        assert titles(themes=[theme]) == ["Match"]
        assert titles(competences=[competence]) == ["Match"]
        assert titles(level="expert") == ["Match"]
        assert titles(format="distanciel") == ["Match"]
        assert "Payante" not in titles(free=True)
        assert match.is_free

    def test_departement_month_and_distance(self, communes):
        rennes = training_page(title="À Rennes")
        brest = training_page(title="À Brest")
        training_session(rennes, days=3, venue=PlaceFactory(**RENNES))
        session = training_session(brest, days=40, venue=PlaceFactory(**BREST))
        assert titles(departement="29") == ["À Brest"]
        month = timezone.localdate(session.start).replace(day=1)
        assert "À Brest" in titles(month=month)
        near_rennes = commune_locate(query="Cesson-Sévigné")
        assert titles(near=(near_rennes.latitude, near_rennes.longitude), radius_km=20) == [
            "À Rennes"
        ]
        assert titles(near=(near_rennes.latitude, near_rennes.longitude), radius_km=300) == [
            "À Rennes",
            "À Brest",
        ]

    def test_with_seats_leaves_out_full_and_relayed(self):
        full = training_page(title="Complète")
        session = training_session(full, capacity=1)
        event_services.registration_create(session=session, user=UserFactory())
        open_ = training_page(title="Ouverte")
        training_session(open_, capacity=1)
        relayed = training_page(
            title="Relayée",
            is_relayed=True,
            external_registration_url="https://partenaire.example/",
        )
        training_session(relayed)
        assert titles(with_seats=True) == ["Ouverte"]

    def test_cancelled_and_past_sessions_are_not_next(self):
        training = training_page(title="Annulée")
        session = training_session(training, days=2)
        event_services.session_cancel(session=session, reason="Formatrice malade")
        later = training_session(training, days=30)
        listed = training_list_catalogue().get(pk=training.pk)
        assert listed.next_session_pk == later.pk

    def test_search_in_title_and_summary(self):
        training_page(title="Cybersécurité au quotidien", summary="Repérer l'hameçonnage.")
        training_page(title="Parentalité numérique", summary="Les écrans en famille.")
        assert titles(q="hameçonnage") == ["Cybersécurité au quotidien"]
        assert titles(q="Parentalité") == ["Parentalité numérique"]

    def test_unpublished_training_is_hidden(self):
        training = training_page(title="Brouillon")
        training.unpublish()
        assert titles() == []


class TestCataloguePage:
    def test_filters_in_the_query_string(self, client, theme, communes):
        training = training_page(title="Aidants numériques", themes=[theme])
        training_session(training, venue=PlaceFactory(**RENNES))
        training_page(title="Autre sujet")
        index = training_index()
        response = client.get(index.url, {"theme": theme.slug, "near": "35000", "radius": "20"})
        assert response.status_code == 200
        content = response.content.decode()
        assert "Aidants numériques" in content and "Autre sujet" not in content
        assert "places restantes" in content

    def test_unknown_commune_is_a_french_error(self, client):
        training_page(title="Formation")
        response = client.get(training_index().url, {"near": "Atlantide"})
        assert response.status_code == 400
        assert "Commune ou code postal inconnu" in response.content.decode()
        assert "Formation" in response.content.decode()

    def test_constant_queries_for_10_or_60_trainings(
        self, client, django_assert_max_num_queries, theme, communes
    ):
        """The same number of queries whatever the catalogue's size (60 spans three pages)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        place = PlaceFactory(**RENNES)
        index = training_index()

        def add_trainings(first, last):
            for number in range(first, last):
                page = TrainingPage(
                    title=f"Formation {number}",
                    slug=f"f-{number}",
                    summary="Résumé.",
                    duration_hours=3,
                )
                index.add_child(instance=page)
                page.themes.set([theme])
                page.save()
                start = timezone.now() + datetime.timedelta(days=number + 1)
                event_services.session_create(
                    page=page,
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    venue=place,
                    capacity=5,
                )

        filters = {"theme": theme.slug, "near": "Rennes", "with_seats": "on", "q": "Formation"}
        counts = []
        for first, last in ((0, 10), (10, 60)):
            add_trainings(first, last)
            client.get(index.url)
            with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as queries:
                response = client.get(index.url, filters)
            assert response.content.decode().count('class="card"') == min(last, index.per_page)
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_ics_and_rss_feeds_of_the_selection(self, client, theme):
        training = training_page(title="Flux", themes=[theme])
        training_session(training)
        training_page(title="Hors sélection")
        ics = client.get("/formation/flux.ics", {"theme": theme.slug})
        assert ics["Content-Type"].startswith("text/calendar")
        body = ics.content.decode()
        assert "BEGIN:VCALENDAR" in body and "Flux" in body and "Hors sélection" not in body
        rss = client.get("/formation/flux.rss", {"theme": theme.slug})
        assert rss.status_code == 200 and "<rss" in rss.content.decode()
        assert "Flux" in rss.content.decode()


def test_a_page_of_the_catalogue_and_its_total_come_from_one_query(client, settings):
    """COUNT(*) OVER () gives the total with the page: no separate COUNT repeating every filter;
    the last page, and a page past the end (shown as the last), stay right."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    place = PlaceFactory(**RENNES)
    index = training_index()
    index.per_page = 2
    for days in range(1, 6):
        training_session(training_page(title=f"Formation {days}"), days=days, venue=place)
    with CaptureQueriesContext(connection) as queries:
        page = index.get_context(RequestFactory().get("/", {"near": "Rennes"}))["page_obj"]
    assert page.paginator.count == 5 and page.paginator.num_pages == 3
    assert [training.title for training in page] == ["Formation 1", "Formation 2"]
    assert not [q for q in queries if q["sql"].upper().startswith("SELECT COUNT(")]
    for number, expected in (("3", ["Formation 5"]), ("9", ["Formation 5"]), ("x", None)):
        request = RequestFactory().get("/", {"near": "Rennes", "page": number})
        page = index.get_context(request)["page_obj"]
        assert page.paginator.count == 5
        if expected:
            assert [training.title for training in page] == expected
