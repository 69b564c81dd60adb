"""Partners' feeds brought into the agenda and kept in sync: recorded feeds served by a real
local HTTP server, imported through the commands staff scripts use."""

import datetime
import io
import zoneinfo
from unittest import mock

from django.core.management import call_command

import icalendar
import pytest

from events import public_feed
from events.models import Session
from relay import services
from relay.models import RelayedEvent, RelaySource
from tests.factories.events import SessionFactory, agenda_index
from tests.factories.newsletter import ThemeFactory

from .conftest import feed

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _agenda(db):
    agenda_index()


def add_source(url: str, kind: str = "ics", *, publish: bool = True) -> RelaySource:
    out = io.StringIO()
    args = [url, "--kind", kind] + (["--publish"] if publish else [])
    call_command("relay_source_add", *args, stdout=out)
    return RelaySource.objects.get(pk=int(out.getvalue().strip()))


def fetch(*sources: RelaySource) -> str:
    out = io.StringIO()
    call_command("relay_fetch", *[str(source.pk) for source in sources], stdout=out)
    return out.getvalue()


def relayed_sessions(source: RelaySource):
    return Session.objects.filter(relayed_from=source.name).order_by("start")


def without_event(content: bytes, marker: bytes) -> bytes:
    """The feed with the VEVENT mentioning `marker` taken out, as if the partner deleted it."""
    head, *events = content.split(b"BEGIN:VEVENT")
    return b"BEGIN:VEVENT".join([head, *[event for event in events if marker not in event]])


def public_ics(client) -> icalendar.Calendar:
    assert public_feed.public_feed_build() is True
    return icalendar.Calendar.from_ical(client.get("/agenda/feed.ics").getvalue())


def test_mobilizon_export_becomes_sessions_that_say_where_they_come_from(
    feed_server, in_january_2027, client
):
    feed_server.serve("/@fabrique/feed.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/@fabrique/feed.ics"))
    report = fetch(source)
    assert "Créés : 2 ;" in report
    first, second = relayed_sessions(source)
    assert first.title == "Atelier « Premiers pas avec l'e-mail »"
    assert first.start == datetime.datetime(2027, 1, 19, 13, 30, tzinfo=datetime.UTC)
    assert first.external_uid == "6a4c2f1e-8d31-4c7a-9b0e-5f2d7e1a3c90"
    assert first.external_registration_url.startswith("https://mobilizon.example.org/events/")
    assert not first.registration_is_open()  # people register on the partner's site
    # The cancelled event of the feed is not published as a new session.
    assert not Session.objects.filter(title="Café numérique").exists()
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Relayée depuis l'agenda" in page and source.name in page
    assert first.external_registration_url in page
    uids = {str(event["UID"]) for event in public_ics(client).walk("VEVENT")}
    assert {first.external_uid, second.external_uid} <= uids


def test_a_changed_event_updates_its_session_with_a_higher_sequence_and_the_same_uid(
    feed_server, in_january_2027, client
):
    route = feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/agenda.ics"))
    fetch(source)
    session = relayed_sessions(source).get(external_uid__startswith="6a4c2f1e")
    route.body = (
        feed("mobilizon_group_export.ics")
        .replace(b"DTSTART:20270119T133000Z", b"DTSTART:20270119T140000Z")
        .replace(b"Premiers pas avec", b"Bien commencer avec")
    )
    report = fetch(source)
    assert "mis à jour : 1 ;" in report
    session.refresh_from_db()
    assert session.sequence == 1
    assert session.title == "Atelier « Bien commencer avec l'e-mail »"
    assert session.start == datetime.datetime(2027, 1, 19, 14, 0, tzinfo=datetime.UTC)
    [event] = [
        event for event in public_ics(client).walk("VEVENT") if event["UID"] == session.ical_uid
    ]
    assert event["SEQUENCE"] == 1
    assert "Bien commencer" in str(event["SUMMARY"])


def test_cancelled_then_vanished_events_cancel_their_sessions_never_delete_them(
    feed_server, in_january_2027, client
):
    route = feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/agenda.ics"))
    fetch(source)
    atelier, permanence = relayed_sessions(source)
    route.body = without_event(feed("mobilizon_group_export.ics"), b"Permanence").replace(
        b"STATUS:CONFIRMED", b"STATUS:CANCELLED"
    )
    report = fetch(source)
    assert "annulés : 2 ;" in report
    atelier.refresh_from_db()
    permanence.refresh_from_db()
    assert atelier.is_cancelled and "Annulé par l'agenda" in atelier.cancel_reason
    assert permanence.is_cancelled and "Retiré de l'agenda" in permanence.cancel_reason
    statuses = {
        str(event["UID"]): str(event["STATUS"]) for event in public_ics(client).walk("VEVENT")
    }
    assert statuses[atelier.external_uid] == "CANCELLED"
    assert statuses[permanence.external_uid] == "CANCELLED"
    assert "annulés : 0 ;" in fetch(source)  # cancelled once, not at every fetch
    assert Session.objects.get(pk=atelier.pk).sequence == atelier.sequence
    assert Session.objects.filter(pk__in=[atelier.pk, permanence.pk]).count() == 2


def test_conditional_get_sends_the_etag_back_and_reports_unchanged(feed_server, in_january_2027):
    route = feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"), etag='"v1"')
    source = add_source(feed_server.url("/agenda.ics"))
    fetch(source)
    assert "Inchangé" in fetch(source)
    assert route.requests[-1]["If-None-Match"] == '"v1"'
    source.refresh_from_db()
    assert source.status == RelaySource.Status.UNCHANGED
    assert relayed_sessions(source).count() == 2


def test_without_publish_new_events_wait_for_staff(feed_server, in_january_2027):
    feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/agenda.ics"), publish=False)
    assert "à valider : 2 ;" in fetch(source)
    assert not relayed_sessions(source).exists()
    waiting = RelayedEvent.objects.filter(status=RelayedEvent.Status.PENDING).first()
    services.relayed_event_publish(relayed=waiting)
    waiting.refresh_from_db()
    assert waiting.status == RelayedEvent.Status.PUBLISHED
    assert waiting.session.external_uid == waiting.key
    with pytest.raises(services.DomainError) as refused:
        services.relayed_event_publish(relayed=waiting)
    assert refused.value.code == "not_pending"


def test_an_event_already_in_the_agenda_is_proposed_for_merge(feed_server, in_january_2027):
    existing = SessionFactory(
        title="Premiers pas avec l'e-mail",
        start=datetime.datetime(2027, 1, 19, 13, 30, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 1, 19, 16, 0, tzinfo=datetime.UTC),
        venue__commune="Rennes",
    )
    feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/agenda.ics"))
    report = fetch(source)
    assert "Créés : 1 ;" in report and "à valider : 1 ;" in report
    proposed = RelayedEvent.objects.get(duplicate_of=existing)
    services.relayed_event_merge(relayed=proposed)
    proposed.refresh_from_db()
    assert proposed.status == RelayedEvent.Status.MERGED
    assert Session.objects.filter(start=existing.start).count() == 1


def test_google_recurrence_with_a_moved_occurrence_is_matched_by_recurrence_id(feed_server, client):
    """Google's export lists the moved occurrence (RECURRENCE-ID) before its series."""
    import time_machine

    with time_machine.travel(datetime.datetime(2021, 11, 20, tzinfo=datetime.UTC), tick=True):
        route = feed_server.serve("/google.ics", feed("google_monthly_moved_occurrence.ics"))
        source = add_source(feed_server.url("/google.ics"))
        fetch(source)
        sessions = list(relayed_sessions(source))
        starts = [session.start.astimezone(PARIS) for session in sessions]
        assert len(sessions) == 12  # a year of last Fridays
        assert starts[1] == datetime.datetime(2021, 12, 17, 21, 30, tzinfo=PARIS)
        assert datetime.datetime(2021, 12, 31, 21, 30, tzinfo=PARIS) not in starts
        moved = sessions[1]
        assert moved.external_uid.endswith("/20211231T203000Z")
        assert "<a " in moved.description and "instagram" in moved.description
        # The organiser moves that occurrence again: only its session changes.
        route.body = feed("google_monthly_moved_occurrence.ics").replace(
            b"DTSTART;TZID=Europe/Berlin:20211217T213000",
            b"DTSTART;TZID=Europe/Berlin:20211218T203000",
        )
        assert "mis à jour : 1 ;" in fetch(source)
        moved.refresh_from_db()
        assert moved.start == datetime.datetime(2021, 12, 18, 20, 30, tzinfo=PARIS)
        assert moved.sequence == 1
        assert [session.sequence for session in relayed_sessions(source)].count(0) == 11
        uids = [str(event["UID"]) for event in public_ics(client).walk("VEVENT")]
        assert len(uids) == len(set(uids)) == 12


def test_google_yearly_series_honours_exdate_and_tzid(feed_server):
    import time_machine

    with time_machine.travel(datetime.datetime(2015, 7, 1, tzinfo=datetime.UTC), tick=True):
        feed_server.serve("/google.ics", feed("google_yearly_exdate_override.ics"))
        source = add_source(feed_server.url("/google.ics"))
        fetch(source)
        [session] = relayed_sessions(source)
    los_angeles = zoneinfo.ZoneInfo("America/Los_Angeles")
    assert session.start == datetime.datetime(2015, 8, 1, 19, 0, tzinfo=los_angeles)
    with time_machine.travel(datetime.datetime(2016, 7, 1, tzinfo=datetime.UTC), tick=True):
        fetch(source)  # 2016 is an EXDATE: nothing new
        assert relayed_sessions(source).count() == 1


def test_nextcloud_all_day_series_and_override_run_midnight_to_midnight_in_paris(feed_server):
    import time_machine

    with time_machine.travel(datetime.datetime(2022, 10, 1, tzinfo=datetime.UTC), tick=True):
        feed_server.serve("/nc.ics", feed("nextcloud_allday_recurring_override.ics"))
        source = add_source(feed_server.url("/nc.ics"))
        fetch(source)
    sessions = list(relayed_sessions(source))
    assert [session.start.astimezone(PARIS).date().day for session in sessions] == [13, 15, 17]
    assert all(session.start.astimezone(PARIS).hour == 0 for session in sessions)
    assert sessions[0].end - sessions[0].start == datetime.timedelta(days=1)
    assert sessions[1].description == "<p>added description</p>"


def test_openagenda_export_one_session_per_timing_sanitised_and_placed(
    feed_server, in_january_2027, communes
):
    feed_server.serve("/oa.json", feed("openagenda_export.json"))
    source = add_source(feed_server.url("/oa.json"), "openagenda")
    ThemeFactory()
    fetch(source)
    first, second, webinar = relayed_sessions(source)
    assert first.title == second.title == "Initiation à la tablette"
    assert first.start == datetime.datetime(2027, 1, 20, 10, 0, tzinfo=PARIS)
    assert first.external_registration_url == "https://www.exemple-epn.fr/inscription/tablette"
    assert "<script" not in first.description and "javascript:" not in first.description
    assert "<strong>découvrir</strong>" in first.description
    assert first.outside_commune.name == "Lorient" and first.departement == "56"
    assert webinar.is_online
    assert not Session.objects.filter(title="Atelier smartphone").exists()  # status 6: annulé


def test_rss_refusals_are_reported_in_french_and_traps_dropped(feed_server, in_january_2027):
    feed_server.serve("/feed.rss", feed("rss_events_module.xml"))
    source = add_source(feed_server.url("/feed.rss"), "rss")
    report = fetch(source)
    assert "refusé : Sans date — pas de date de début lisible (ev:startdate)" in report
    aidants, trap = relayed_sessions(source)
    assert "onerror" not in aidants.description and "<em>habiliter</em>" in aidants.description
    assert trap.external_registration_url == source.url  # the javascript: link is dropped
    source.refresh_from_db()
    assert source.report["refused"] == [
        {"event": "Sans date", "reason": "pas de date de début lisible (ev:startdate)"}
    ]


def test_default_themes_and_kind_of_the_source(feed_server, in_january_2027):
    feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/agenda.ics"))
    theme = ThemeFactory()
    source.themes.set([theme])
    source.session_kind = Session.Kind.WEBINAR
    source.save()
    fetch(source)
    session = relayed_sessions(source).first()
    assert list(session.themes.all()) == [theme]
    assert session.kind == Session.Kind.WEBINAR


def test_a_broken_source_is_reported_backs_off_and_blocks_no_other(feed_server, in_january_2027):
    feed_server.serve("/good.ics", feed("mobilizon_group_export.ics"))
    broken = add_source(feed_server.url("/missing.ics"))
    good = add_source(feed_server.url("/good.ics"))
    report = fetch(broken, good)
    assert "Erreur : Le serveur a répondu 404" in report
    assert relayed_sessions(good).count() == 2
    broken.refresh_from_db()
    assert broken.status == RelaySource.Status.ERROR and broken.failures == 1
    first_delay = broken.next_fetch_at - broken.fetched_at
    fetch(broken)
    broken.refresh_from_db()
    assert broken.failures == 2
    assert broken.next_fetch_at - broken.fetched_at == 2 * first_delay


def test_an_error_half_way_leaves_nothing_half_imported(feed_server, in_january_2027):
    feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/agenda.ics"))
    real = services._sync_new
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("panne au milieu")
        return real(*args, **kwargs)

    with (
        mock.patch.object(services, "_sync_new", fail_on_second),
        pytest.raises(RuntimeError),
    ):
        services.source_fetch(source=source)
    assert not relayed_sessions(source).exists()
    assert not RelayedEvent.objects.exists()


def test_the_beat_tick_queues_each_due_source_once(
    feed_server, in_january_2027, django_capture_on_commit_callbacks
):
    feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = add_source(feed_server.url("/agenda.ics"))
    with (
        mock.patch("relay.tasks.relay_source_fetch.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.sources_dispatch_due() == [source.pk]
        assert services.sources_dispatch_due() == []  # claimed: not queued twice
    delay.assert_called_once_with(source.pk)
