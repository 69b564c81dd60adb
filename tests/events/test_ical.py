import datetime
from unittest import mock

from django.core.cache import cache
from django.utils import timezone

from wagtail.models import Page

import icalendar
import ics
import pytest
import vobject

from directory.models import Commune, Departement, Place
from events import ical_writer, public_feed, selectors, services
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.newsletter import ThemeFactory

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


def build() -> None:
    assert public_feed.public_feed_build() is True


def test_changed_session_keeps_uid_and_raises_sequence_cancelled_stays(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    build()
    before = icalendar.Calendar.from_ical(client.get("/agenda/feed.ics").getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, title="Nouvel intitulé")
        services.session_cancel(session=session, reason="Salle indisponible")
    content = client.get("/agenda/feed.ics").getvalue()
    after = parse_everywhere(content)
    [old] = before.walk("VEVENT")
    [new] = after.walk("VEVENT")
    assert new["UID"] == old["UID"]
    assert new["SEQUENCE"] == 2 > old["SEQUENCE"]
    assert new["STATUS"] == "CANCELLED"
    assert "Annulée : Salle indisponible" in new["DESCRIPTION"]


def test_streaming_writer_writes_what_the_library_writes(client):
    """The same 14 properties, values and parameters as events.ical (the library), so that
    personal feeds, invitations and the public feed agree."""
    saint_brieuc = Commune.objects.create(
        insee_code="22278",
        name="Saint-Brieuc",
        departement=Departement.objects.create(code="22", name="Côtes-d'Armor"),
    )
    sessions = [
        SessionFactory(
            title="Atelier ; « virgules, points-virgules » et \\ barres — démarches en ligne 🙂",
            venue__latitude=48.1,
            venue__longitude=-1.68,
            venue__name="Médiathèque, « Les Champs Libres »",
        ),
        SessionFactory(venue=None, kind="webinar"),
        SessionFactory(venue=None, outside_commune=saint_brieuc, outside_location="Marché"),
    ]
    services.session_cancel(session=sessions[1], reason="Ligne 1\nligne 2, fin")
    build()
    ours = parse_everywhere(client.get("/agenda/feed.ics").getvalue())
    library = icalendar.Calendar.from_ical(
        selectors.session_feed_ics(sessions=selectors.session_list_upcoming(), name="x")
    )
    assert ours["X-WR-CALNAME"] == "Agenda de la médiation numérique"
    mine = {str(event["UID"]): event for event in ours.walk("VEVENT")}
    theirs = {str(event["UID"]): event for event in library.walk("VEVENT")}
    assert mine.keys() == theirs.keys() and len(mine) == 3
    for uid, event in mine.items():
        expected = theirs[uid]
        assert sorted(event.keys()) == sorted(expected.keys()), uid
        for name in event:
            if name != "DTSTAMP":
                assert event[name].to_ical() == expected[name].to_ical(), (uid, name)


def test_writer_escapes_and_folds_on_utf8_boundaries():
    value = "é" * 40 + "🙂" * 30 + ", ; \\ \n fin"
    line = ical_writer.text_line("SUMMARY", value)
    assert_folded(line)
    assert line.replace(b"\r\n ", b"").decode() == (
        "SUMMARY:" + "é" * 40 + "🙂" * 30 + "\\, \\; \\\\ \\n fin\r\n"
    )
    [parsed] = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + line + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == value
    for length in range(60, 200):
        assert_folded(ical_writer.content_line("X", "aé🙂" * length))


def test_public_feed_is_served_from_the_built_file_until_the_rebuild(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    build()
    with django_assert_num_queries(0):
        first = client.get("/agenda/feed.ics").getvalue()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.session_update(session=session, title="Intitulé changé")
    assert client.get("/agenda/feed.ics").getvalue() == first
    for callback in callbacks:
        callback()
    assert "Intitulé changé" in client.get("/agenda/feed.ics").getvalue().decode()


def test_a_build_writes_again_only_the_events_whose_data_changed(client):
    """Events are kept written per version of their data: a venue's address or a page's title
    changed by any path (here without any signal) is seen by the fingerprint."""
    kept, moved = SessionFactory(), SessionFactory()
    renamed = SessionFactory(page=conference_page())
    build()
    Place.objects.filter(pk=moved.venue_id).update(address="3 rue Neuve")
    Page.objects.filter(pk=renamed.page_id).update(title="Nouveau titre de page")
    body = public_feed.EventWriter.body
    with mock.patch.object(public_feed.EventWriter, "body", autospec=True, side_effect=body) as spy:
        build()
    assert sorted(call.args[1][0] for call in spy.call_args_list) == sorted([moved.pk, renamed.pk])
    feed = parse_everywhere(client.get("/agenda/feed.ics").getvalue())
    events = {
        str(event["URL"]).rstrip("/").rsplit("/", 1)[1]: event for event in feed.walk("VEVENT")
    }
    assert events.keys() == {str(kept.pk), str(moved.pk), str(renamed.pk)}
    assert "3 rue Neuve" in events[str(moved.pk)]["LOCATION"]
    assert str(events[str(renamed.pk)]["SUMMARY"]).startswith("Nouveau titre de page")
    assert len({event["DTSTAMP"].to_ical() for event in events.values()}) == 1  # this build's


def test_invalidation_triggers_one_rebuild(django_capture_on_commit_callbacks):
    session = SessionFactory()
    with (
        mock.patch.object(public_feed, "public_feed_write", return_value=1) as write,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.session_update(session=session, title="Un autre intitulé")
    assert write.call_count == 1


def test_one_build_at_a_time_and_a_change_during_a_build_is_built_after(settings):
    SessionFactory()
    calls = []

    def write():
        calls.append(1)
        if len(calls) == 1:
            # A change committed while this build runs: its task finds the lock taken.
            assert public_feed.public_feed_build() is False
        return 1

    with mock.patch.object(public_feed, "public_feed_write", side_effect=write):
        assert public_feed.public_feed_build() is True
    assert len(calls) == 2
    assert not (public_feed.feeds_dir() / ".dirty").exists()


def test_registrations_queue_one_build_while_one_waits(django_capture_on_commit_callbacks):
    """The rush's hot path: a change queues a build only when none is waiting already."""
    session = SessionFactory(capacity=None)
    cache.clear()
    with (
        mock.patch("events.tasks.public_feed_build.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _n in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                services.registration_create(session=session, user=UserFactory())
    assert delay.call_count == 1


def test_a_change_during_a_build_queues_a_fresh_build():
    """The task clears the queued flag as it starts: a change committed while it builds queues
    the next build, which writes the feed again (the last change is always built)."""
    from events import tasks
    from events.feeds import public_feed_invalidate

    SessionFactory()
    cache.clear()
    writes = []

    def write():
        writes.append(1)
        if len(writes) == 1:
            public_feed_invalidate()  # a registration committed during the build
        return 1

    with (
        mock.patch("events.tasks.public_feed_build.delay") as delay,
        mock.patch.object(public_feed, "public_feed_write", side_effect=write),
    ):
        public_feed_invalidate()
        public_feed_invalidate()
        assert delay.call_count == 1
        tasks.public_feed_build()  # the worker runs the queued task
        assert delay.call_count == 2
        tasks.public_feed_build()  # ... and the one queued during its build
    assert len(writes) == 2


def test_no_request_builds_the_feed(client):
    """Every variant of the public feed, built or not: the builder never runs in a view; before
    the first build the view answers 503 and asks the worker."""
    theme = ThemeFactory()
    SessionFactory(kind="training", venue__departement="29").themes.add(theme)
    variants = [{}, {"kind": "training"}, {"departement": "29"}, {"theme": theme.slug}]
    with (
        mock.patch.object(public_feed, "public_feed_write", side_effect=AssertionError),
        mock.patch.object(public_feed, "feed_events_refresh", side_effect=AssertionError),
        mock.patch("events.tasks.public_feed_build.delay") as delay,
    ):
        response = client.get("/agenda/feed.ics")
        assert response.status_code == 503 and response["Retry-After"] == "60"
        assert "réessayez" in response.content.decode()
        assert delay.call_count == 1
        client.get("/agenda/feed.ics", {"kind": "webinar"})
        assert delay.call_count == 1  # asked once, however many clients poll
    build()
    with (
        mock.patch.object(public_feed, "public_feed_write", side_effect=AssertionError),
        mock.patch.object(public_feed, "feed_events_refresh", side_effect=AssertionError),
    ):
        for query in variants:
            response = client.get("/agenda/feed.ics", query)
            assert response.status_code == 200, query
            assert b"END:VCALENDAR" in response.getvalue()


def test_public_feed_filters(client):
    SessionFactory(kind="training", venue__departement="29", title="Formation à Quimper")
    SessionFactory(kind="webinar", venue=None, title="Webinaire national")
    build()
    content = client.get("/agenda/feed.ics", {"kind": "webinar"}).getvalue()
    assert b"Webinaire national" in content and b"Quimper" not in content
    parse_everywhere(content)
    content = client.get("/agenda/feed.ics", {"departement": "29"}).getvalue()
    assert b"Quimper" in content and b"Webinaire" not in content
    parse_everywhere(content)
    content = client.get("/agenda/feed.ics", {"kind": "n'importe quoi"}).getvalue()
    assert b"Quimper" in content and b"Webinaire" in content


def test_public_feed_query_count_is_constant(client, django_assert_max_num_queries):
    for _ in range(6):
        SessionFactory(venue__departement="35")
    build()
    with django_assert_max_num_queries(0):
        parse_everywhere(client.get("/agenda/feed.ics").getvalue())
    with django_assert_max_num_queries(1):
        parse_everywhere(client.get("/agenda/feed.ics", {"departement": "35"}).getvalue())


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
