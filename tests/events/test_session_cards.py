"""The agenda's session cards, cached per data version (events_tags.session_cards): a card is
read back while nothing changed, and never once seats, status, language or time zone differ."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.utils import timezone, translation

import pytest

from core import data_version
from events import services
from events.models import Session
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory, agenda_index

pytestmark = pytest.mark.django_db

CARDS = Template("{% load events_tags %}{% session_cards sessions version %}")


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    settings.MAILLAGE_FRAGMENT_CACHE_SECONDS = 3600


def _cards(sessions, version) -> str:
    return CARDS.render(Context({"sessions": sessions, "version": version}))


def test_a_card_is_read_back_until_the_data_version_moves(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory(title="Atelier tablette", capacity=5)
    agenda = agenda_index()
    assert "Atelier tablette" in client.get(agenda.url).content.decode()
    # Behind the ORM's back: no bump, so the stored card is what the page shows.
    Session.objects.filter(pk=session.pk).update(title="Atelier renommé")
    assert "Atelier tablette" in client.get(agenda.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        data_version.data_changed()
    assert "Atelier renommé" in client.get(agenda.url).content.decode()


def test_a_full_or_cancelled_session_never_shows_its_old_seats(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory(title="Atelier à une place", capacity=1)
    agenda = agenda_index()
    assert "1 place restante" in client.get(agenda.url).content.decode()
    assert "1 place restante" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(session=session, user=UserFactory())
    html = client.get(agenda.url).content.decode()
    assert "1 place restante" not in html and "Complet" in html
    assert "Complet" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=Session.objects.get(pk=session.pk), reason="Grève")
    assert "Annulée" in client.get(agenda.url).content.decode()


def test_each_session_has_its_own_card(client):
    SessionFactory(title="Premier atelier")
    SessionFactory(title="Second atelier")
    html = client.get(agenda_index().url).content.decode()
    assert "Premier atelier" in html and "Second atelier" in html
    assert client.get(agenda_index().url).content.decode().count("Premier atelier") == html.count(
        "Premier atelier"
    )


def test_the_language_and_time_zone_are_part_of_the_key():
    start = timezone.make_aware(datetime.datetime(2030, 1, 7, 14, 0))  # a Monday, Paris time
    session = SessionFactory(start=start, end=start + datetime.timedelta(hours=2))
    sessions = [Session.objects.get(pk=session.pk)]
    assert "lundi 7 janvier 2030, 14h00" in _cards(sessions, version=1)
    with translation.override("en"):
        assert "Monday" in _cards(sessions, version=1)
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert "13h00" in _cards(sessions, version=1)
    assert "lundi 7 janvier 2030, 14h00" in _cards(sessions, version=1)


def test_without_a_version_or_with_the_cache_off_cards_are_rendered_each_time(settings):
    session = SessionFactory(title="Atelier tablette")
    assert "Atelier tablette" in _cards([session], version=1)
    session.title = "Atelier renommé"
    assert "Atelier renommé" in _cards([session], version=None)
    settings.MAILLAGE_FRAGMENT_CACHE_SECONDS = 0
    assert "Atelier renommé" in _cards([session], version=1)
    settings.MAILLAGE_FRAGMENT_CACHE_SECONDS = 3600
    assert "Atelier tablette" in _cards([session], version=1)
