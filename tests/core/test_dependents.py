"""Deleting or merging says what depends on the row: what goes with it, or what forbids it."""

import pytest

from core.dependents import dependents_of, references_to
from directory.models import Place
from events import services as event_services
from events.models import Registration, Session
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff())
    return client


def test_a_place_with_sessions_cannot_be_deleted_and_says_why(staff_client):
    place = PlaceFactory()
    SessionFactory.create_batch(2, venue=place)
    assert dependents_of(place).protected == [("sessions", 2)]
    url = f"/admin/annuaire/lieux/delete/{place.pk}/"
    html = staff_client.get(url).content.decode()
    assert "Suppression impossible" in html and "2 sessions" in html
    assert "Yes, delete" not in html and "Oui, supprimer" not in html
    assert staff_client.post(url).status_code in (302, 403)
    assert Place.objects.filter(pk=place.pk).exists()


def test_a_deletion_lists_what_goes_with_it(staff_client):
    session = SessionFactory()
    registration = event_services.registration_create(session=session, user=UserFactory())
    event_services.registration_cancel(registration=registration)
    assert dependents_of(session).cascaded == [("inscriptions", 1)]
    html = staff_client.get(f"/admin/agenda/sessions/delete/{session.pk}/").content.decode()
    assert "Seront aussi supprimé·es" in html and "1 inscriptions" in html
    staff_client.post(f"/admin/agenda/sessions/delete/{session.pk}/")
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Registration.objects.exists()


def test_the_merge_page_says_what_moves(staff_client):
    first, second = PlaceFactory(), PlaceFactory()
    SessionFactory.create_batch(3, venue=second)
    assert references_to(second) == [("sessions", 3)]
    html = staff_client.get(
        f"/annuaire/doublons/fusionner/?first={first.pk}&second={second.pk}"
    ).content.decode()
    assert "Ce que la fusion déplace" in html
    assert "Fiche B : 3 sessions" in html
    assert "Fiche A : rien ne renvoie à cette fiche" in html
