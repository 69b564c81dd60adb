import json
import re

from django.core import mail

import pytest

from events import services
from events.models import Registration
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


def test_session_page_shows_date_place_map_seats_and_register_button(client):
    session = SessionFactory(capacity=3, venue__latitude=48.11, venue__longitude=-1.68)
    response = client.get(f"/agenda/sessions/{session.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert session.venue.name in html
    assert "openstreetmap.org/?mlat=48.110000" in html
    assert "3 places restantes" in html
    assert f'href="/agenda/sessions/{session.pk}/inscription/"' in html
    weekday = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert weekday[session.start.weekday()] in html


def test_session_page_json_ld_is_an_event_with_the_csp_nonce(client):
    session = SessionFactory(capacity=1)
    services.registration_create(session=session, user=UserFactory())
    html = client.get(f"/agenda/sessions/{session.pk}/").content.decode()
    match = re.search(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S
    )
    assert match and match.group(1)
    data = json.loads(match.group(2))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["address"]["addressLocality"] == session.venue.commune
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_session_page_query_count_is_constant(client, django_assert_max_num_queries):
    session = SessionFactory(capacity=50)
    for _ in range(5):
        services.registration_create(session=session, user=UserFactory())
    with django_assert_max_num_queries(12):
        assert client.get(f"/agenda/sessions/{session.pk}/").status_code == 200


def test_unknown_session_is_404(client):
    assert client.get("/agenda/sessions/999999/").status_code == 404


def test_anonymous_register_goes_to_login(client):
    session = SessionFactory()
    response = client.get(f"/agenda/sessions/{session.pk}/inscription/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_two_clicks_register_then_result_page(client, user):
    session = SessionFactory(capacity=1)
    client.force_login(user)
    page = client.get(f"/agenda/sessions/{session.pk}/inscription/")
    assert "Confirmer mon inscription" in page.content.decode()
    assert not Registration.objects.exists()
    response = client.post(
        f"/agenda/sessions/{session.pk}/inscription/", {"dietary": "végétarien"}, follow=True
    )
    registration = Registration.objects.get()
    assert registration.answers["dietary"] == "végétarien"
    assert "Inscription confirmée" in response.content.decode()
    other = UserFactory()
    client.force_login(other)
    response = client.post(f"/agenda/sessions/{session.pk}/inscription/", follow=True)
    assert "Liste d'attente, position 1" in response.content.decode()


def test_registering_twice_through_the_page_redirects_to_the_existing_one(client, user):
    session = SessionFactory()
    registration = services.registration_create(session=session, user=user)
    client.force_login(user)
    response = client.post(f"/agenda/sessions/{session.pk}/inscription/")
    assert response["Location"] == f"/agenda/inscriptions/{registration.pk}/"
    assert Registration.objects.count() == 1


def test_refusal_shows_a_french_message_and_changes_nothing(client, user):
    session = SessionFactory(capacity=1, waiting_list_enabled=False)
    services.registration_create(session=session, user=UserFactory())
    client.force_login(user)
    response = client.post(f"/agenda/sessions/{session.pk}/inscription/")
    assert response.status_code == 409
    assert "Cette session est complète." in response.content.decode()
    assert Registration.objects.count() == 1


def test_someone_elses_registration_is_404_and_untouched(client, user):
    registration = services.registration_create(session=SessionFactory(), user=UserFactory())
    client.force_login(user)
    assert client.get(f"/agenda/inscriptions/{registration.pk}/").status_code == 404
    assert client.post(f"/agenda/inscriptions/{registration.pk}/annuler/").status_code == 404
    assert client.post("/agenda/inscriptions/987654/annuler/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_private_pages_need_login(client):
    registration = services.registration_create(session=SessionFactory(), user=UserFactory())
    for url in (
        f"/agenda/inscriptions/{registration.pk}/",
        f"/agenda/inscriptions/{registration.pk}/annuler/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_cancel_from_the_page_promotes_the_waiting_list(client, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    registration = services.registration_create(session=session, user=holder)
    services.registration_create(session=session, user=waiting)
    client.force_login(holder)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/agenda/inscriptions/{registration.pk}/annuler/")
    assert response.status_code == 302
    assert Registration.objects.get(user=waiting).status == "confirmed"
    assert {tuple(m.to) for m in mail.outbox} == {(holder.email,), (waiting.email,)}


def test_online_link_only_for_confirmed_people(client):
    session = SessionFactory(capacity=1, venue=None, online_url="https://visio.example/salle-42")
    confirmed, waiting = UserFactory(), UserFactory()
    services.registration_create(session=session, user=confirmed)
    services.registration_create(session=session, user=waiting)
    assert "salle-42" not in client.get(f"/agenda/sessions/{session.pk}/").content.decode()
    client.force_login(waiting)
    assert "salle-42" not in client.get(f"/agenda/sessions/{session.pk}/").content.decode()
    client.force_login(confirmed)
    assert "salle-42" in client.get(f"/agenda/sessions/{session.pk}/").content.decode()


def test_my_space_lists_registrations_and_private_feed(client, user):
    session = SessionFactory(title="Atelier Pix")
    services.registration_create(session=session, user=user)
    client.force_login(user)
    html = client.get("/mon-espace/").content.decode()
    assert "Atelier Pix" in html
    assert f"/agenda/calendrier/{user.calendar_token}.ics" in html


def test_personal_data_export_and_erase_promote_waiting_list(client):
    from accounts.services import user_delete, user_export_data

    session = SessionFactory(capacity=1)
    leaving, waiting = UserFactory(), UserFactory()
    services.registration_create(session=session, user=leaving, answers={"dietary": "sans gluten"})
    services.registration_create(session=session, user=waiting)
    assert user_export_data(user=leaving)["inscriptions"][0]["reponses"] == {
        "dietary": "sans gluten"
    }
    user_delete(user=leaving)
    assert Registration.objects.get(user=waiting).status == "confirmed"


def test_hub_staff_sees_other_private_pages_only_through_admin(client):
    registration = services.registration_create(session=SessionFactory(), user=UserFactory())
    client.force_login(hub_staff())
    assert client.get(f"/agenda/inscriptions/{registration.pk}/").status_code == 404
