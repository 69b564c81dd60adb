import datetime

from django.core.cache import cache
from django.utils import timezone

import icalendar
import ics
import pytest
import vobject

from events import services
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def parse_everywhere(content: bytes) -> icalendar.Calendar:
    """Parse with the three independent parsers; return icalendar's view for assertions."""
    text = content.decode("utf-8")
    assert ics.Calendar(text).events
    assert list(vobject.readOne(text).vevent_list)
    return icalendar.Calendar.from_ical(content)


def assert_folded(content: bytes) -> None:
    """RFC 5545 §3.1: CRLF lines of at most 75 octets, never splitting a UTF-8 character."""
    assert content.endswith(b"\r\n")
    for line in content.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")


def test_session_ics_carries_the_rfc5545_properties(client):
    title = "Atelier « Accompagner les démarches en ligne » — e-administration, éthique et sécurité numérique"
    session = SessionFactory(title=title, venue__latitude=48.1, venue__longitude=-1.68)
    response = client.get(f"/agenda/sessions/{session.pk}.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    content = response.content
    assert_folded(content)
    calendar = parse_everywhere(content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [event] = calendar.walk("VEVENT")
    assert event["UID"].startswith(str(session.uid))
    assert event["SUMMARY"] == session.display_title and title in session.display_title
    assert event.decoded("DTSTART") == session.start
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") == session.end
    assert "DTSTAMP" in event
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert session.venue.commune in event["LOCATION"]
    assert event["GEO"].latitude == pytest.approx(48.1)
    assert event["URL"].endswith(f"/agenda/sessions/{session.pk}/")
    assert b"DTSTART:" in content and b"Z\r\n" in content


def test_changed_session_keeps_uid_and_raises_sequence_cancelled_stays(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    before = icalendar.Calendar.from_ical(client.get("/agenda/feed.ics").content)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, title="Nouvel intitulé")
        services.session_cancel(session=session, reason="Salle indisponible")
    content = client.get("/agenda/feed.ics").content
    after = parse_everywhere(content)
    [old] = before.walk("VEVENT")
    [new] = after.walk("VEVENT")
    assert new["UID"] == old["UID"]
    assert new["SEQUENCE"] == 2 > old["SEQUENCE"]
    assert new["STATUS"] == "CANCELLED"


def test_public_feed_is_cached_and_invalidated_on_commit(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    first = client.get("/agenda/feed.ics").content
    with django_assert_num_queries(0):
        assert client.get("/agenda/feed.ics").content == first
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.session_update(session=session, title="Intitulé changé")
    assert client.get("/agenda/feed.ics").content == first
    for callback in callbacks:
        callback()
    assert "Intitulé changé" in client.get("/agenda/feed.ics").content.decode()


def test_public_feed_filters(client):
    SessionFactory(kind="training", venue__departement="29", title="Formation à Quimper")
    SessionFactory(kind="webinar", venue=None, title="Webinaire national")
    content = client.get("/agenda/feed.ics", {"kind": "webinar"}).content
    assert b"Webinaire national" in content and b"Quimper" not in content
    content = client.get("/agenda/feed.ics", {"departement": "29"}).content
    assert b"Quimper" in content and b"Webinaire" not in content
    content = client.get("/agenda/feed.ics", {"kind": "n'importe quoi"}).content
    assert b"Quimper" in content and b"Webinaire" in content


def test_public_feed_query_count_is_constant(client, django_assert_max_num_queries):
    for _ in range(6):
        SessionFactory()
    with django_assert_max_num_queries(3):
        parse_everywhere(client.get("/agenda/feed.ics").content)


def test_personal_feed_lists_registrations_waitlisted_tentative(client):
    session = SessionFactory(capacity=1, online_url="")
    other = SessionFactory(capacity=1, venue=None, online_url="https://visio.example/salle")
    user = UserFactory()
    services.registration_create(session=session, user=UserFactory())
    services.registration_create(session=session, user=user)
    services.registration_create(session=other, user=user)
    response = client.get(f"/agenda/calendrier/{user.calendar_token}.ics")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    calendar = parse_everywhere(response.content)
    statuses = {str(event["SUMMARY"]): str(event["STATUS"]) for event in calendar.walk("VEVENT")}
    assert statuses == {session.display_title: "TENTATIVE", other.display_title: "CONFIRMED"}
    assert b"visio.example" in response.content.replace(b"\r\n ", b"")


def test_unknown_feed_token_is_404(client):
    assert client.get("/agenda/calendrier/pas-un-jeton.ics").status_code == 404


def test_rss_feed_lists_upcoming_sessions(client):
    SessionFactory(title="Café conseil du jeudi")
    past_start = timezone.now() - datetime.timedelta(days=3)
    SessionFactory(
        title="Session passée", start=past_start, end=past_start + datetime.timedelta(hours=1)
    )
    response = client.get("/agenda/feed.rss")
    assert response.status_code == 200
    assert "rss" in response["Content-Type"]
    body = response.content.decode()
    assert "Café conseil du jeudi" in body and "Session passée" not in body
