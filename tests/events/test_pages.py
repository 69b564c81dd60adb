import datetime

from django.utils import timezone

import pytest

from events import services
from events.models import AgendaIndexPage, ConferencePage
from portal.models import HomePage
from taxonomy.models import Theme
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory, agenda_index, conference_page

pytestmark = pytest.mark.django_db


def test_agenda_lists_upcoming_sessions_with_filters(client):
    agenda = agenda_index()
    theme = Theme.objects.first()
    training = SessionFactory(
        kind="training", title="Formation Aidants Connect", venue__departement="29"
    )
    training.themes.add(theme)
    SessionFactory(kind="webinar", title="Webinaire France Travail", venue=None)
    past_start = timezone.now() - datetime.timedelta(days=10)
    SessionFactory(
        title="Rencontre passée", start=past_start, end=past_start + datetime.timedelta(hours=2)
    )
    html = client.get(agenda.url).content.decode()
    assert "Formation Aidants Connect" in html and "Webinaire France Travail" in html
    assert "Rencontre passée" not in html
    html = client.get(agenda.url, {"kind": "webinar"}).content.decode()
    assert "Webinaire France Travail" in html and "Aidants Connect" not in html
    html = client.get(agenda.url, {"theme": theme.slug}).content.decode()
    assert "Aidants Connect" in html and "France Travail" not in html
    html = client.get(agenda.url, {"mode": "en-ligne"}).content.decode()
    assert "France Travail" in html and "Aidants Connect" not in html
    html = client.get(agenda.url, {"departement": "29"}).content.decode()
    assert "Aidants Connect" in html and "France Travail" not in html
    month = timezone.localtime(training.start).strftime("%Y-%m")
    assert "Aidants Connect" in client.get(agenda.url, {"month": month}).content.decode()
    html = client.get(agenda.url, {"archives": "1"}).content.decode()
    assert "Rencontre passée" in html and "Aidants Connect" not in html


def test_agenda_seats_filter_hides_full_sessions(client):
    full = SessionFactory(capacity=1, title="Atelier complet")
    services.registration_create(session=full, user=UserFactory())
    SessionFactory(capacity=5, title="Atelier ouvert")
    html = client.get(agenda_index().url, {"with_seats": "on"}).content.decode()
    assert "Atelier ouvert" in html and "Atelier complet" not in html


def test_agenda_bad_filter_is_a_french_message_not_an_error(client):
    response = client.get(agenda_index().url, {"month": "2026-13", "departement": "xx"})
    assert response.status_code == 200
    assert "Un mois au format AAAA-MM." in response.content.decode()


def test_agenda_query_count_is_constant(client, django_assert_max_num_queries):
    agenda = agenda_index()
    for _ in range(8):
        session = SessionFactory()
        services.registration_create(session=session, user=UserFactory())
    with django_assert_max_num_queries(20):
        assert client.get(agenda.url).status_code == 200
    with django_assert_max_num_queries(20):
        html = client.get(agenda.url, {"impression": "1"}).content.decode()
    assert "<h2>" in html


def test_agenda_printable_view_groups_by_day(client):
    SessionFactory(title="Café numérique")
    html = client.get(agenda_index().url, {"impression": "1"}).content.decode()
    assert "Café numérique" in html and "site-header" not in html


def test_conference_page_shows_sessions_and_register_button(client, user):
    page = conference_page(title="Rencontre régionale", intro="Opérateurs et médiateurs.")
    session = SessionFactory(page=page, capacity=2)
    registered = SessionFactory(page=page, capacity=2)
    services.registration_create(session=registered, user=user)
    client.force_login(user)
    html = client.get(page.url).content.decode()
    assert "Rencontre régionale" in html
    assert f"/agenda/sessions/{session.pk}/inscription/" in html
    assert f"/agenda/sessions/{registered.pk}/inscription/" not in html
    assert "Vous êtes inscrit·e" in html


def test_conference_page_query_count_is_constant(client, user, django_assert_max_num_queries):
    page = conference_page()
    for _ in range(6):
        services.registration_create(session=SessionFactory(page=page), user=user)
    client.force_login(user)
    # The first visit reads what is cached once per data version (the département names).
    client.get(page.url)
    with django_assert_max_num_queries(20):
        assert client.get(page.url).status_code == 200


def test_page_types_hierarchy():
    assert AgendaIndexPage.can_create_at(HomePage.objects.get())
    assert ConferencePage.can_create_at(agenda_index())
    assert not ConferencePage.can_create_at(HomePage.objects.get())
