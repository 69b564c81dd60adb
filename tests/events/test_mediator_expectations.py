"""What mediators expect of the agenda (issue 17 §7): their rank on a waiting list, the number
of people waiting, words that fit someone without a seat, links to their own calendar app and
a private feed address they can copy."""

import html

import pytest

from events import services
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory, conference_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_session():
    session = SessionFactory(page=conference_page(title="Rencontre régionale"), capacity=1)
    services.registration_create(session=session, user=UserFactory())
    return session


def test_waiting_rank_in_my_space_and_count_on_the_session_page(client, full_session):
    first, second = UserFactory(), UserFactory()
    services.registration_create(session=full_session, user=first)
    services.registration_create(session=full_session, user=second)
    client.force_login(second)
    assert "Liste d'attente : 2e position" in client.get("/mon-espace/").text
    client.force_login(first)
    assert "Liste d'attente : 1re position" in client.get("/mon-espace/").text
    page = html.unescape(client.get(f"/agenda/sessions/{full_session.pk}/").text)
    assert "2 personnes en liste d'attente" in page


def test_leaving_a_waiting_list_is_worded_for_someone_without_a_seat(client, full_session):
    waiting = UserFactory()
    registration = services.registration_create(session=full_session, user=waiting)
    client.force_login(waiting)
    page = html.unescape(client.get(f"/agenda/inscriptions/{registration.pk}/annuler/").text)
    assert "Quitter la liste d'attente" in page
    assert "Votre place sera proposée" not in page
    response = client.post(f"/agenda/inscriptions/{registration.pk}/annuler/", follow=True)
    assert "Vous avez quitté la liste d'attente." in html.unescape(response.text)


def test_calendar_links_beside_the_ics(client, full_session):
    page = client.get(f"/agenda/sessions/{full_session.pk}/").text
    start = full_session.start.strftime("%Y%m%d")
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert f"dates={start}T" in page
    assert "https://outlook.live.com/calendar/0/action/compose?" in page
    assert f"/agenda/sessions/{full_session.pk}.ics" in page


def test_private_feed_address_can_be_copied_with_or_without_javascript(client, user):
    client.force_login(user)
    page = client.get("/mon-espace/").text
    assert 'id="adresse-calendrier" type="url" readonly' in page
    assert 'data-copy-target="adresse-calendrier"' in page
    assert "events/copy.js" in page
