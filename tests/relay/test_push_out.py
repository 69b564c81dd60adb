"""« Exporter vers OpenAgenda » and the Mobilizon iCalendar: what a partner who cannot
subscribe imports instead, read back as those platforms' importers read it."""

import csv
import datetime
import io
import json
import zoneinfo

import icalendar
import pytest
import vobject

from api import push_out
from events import services as event_services
from relay.parsers import parse_ics, parse_openagenda
from tests.factories.events import SessionFactory
from tests.factories.newsletter import ThemeFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def sessions(settings):
    settings.MAILLAGE_RELAY_HORIZON_DAYS = 3650  # the sessions are years ahead
    theme = ThemeFactory(name="Inclusion numérique")
    start = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=PARIS)
    in_person = SessionFactory(
        title='Atelier =HYPERLINK("x")', start=start, end=start + datetime.timedelta(hours=3)
    )
    in_person.themes.add(theme)
    long_one = SessionFactory(
        title="Université d'été",
        start=datetime.datetime(2030, 3, 5, 14, 0, tzinfo=PARIS),
        end=datetime.datetime(2030, 3, 7, 12, 0, tzinfo=PARIS),
    )
    cancelled = SessionFactory(venue=None, kind="webinar", title="Webinaire annulé")
    event_services.session_cancel(session=cancelled, reason="Intervenant absent")
    return in_person, long_one, cancelled


def test_openagenda_json_follows_their_schema_and_round_trips(client, sessions):
    in_person, long_one, cancelled = sessions
    response = client.get("/donnees-ouvertes/agenda-openagenda.json")
    assert response["Content-Disposition"] == 'attachment; filename="agenda-openagenda.json"'
    document = json.loads(response.content)
    events = {event["uid-externe"]: event for event in document["events"]}
    first = events[in_person.ical_uid]
    assert first["title"]["fr"] == in_person.display_title
    assert len(first["description"]["fr"]) <= 200
    assert first["timings"] == [
        {"begin": "2030-03-04T09:00:00+0100", "end": "2030-03-04T12:00:00+0100"}
    ]
    assert first["location"]["city"] == in_person.venue.commune
    assert first["attendanceMode"] == 1 and first["status"] == 1
    assert first["keywords"]["fr"] == ["Inclusion numérique"]
    # No slot over 24 hours: the three-day session is cut at midnight.
    assert [slot["begin"][:16] for slot in events[long_one.ical_uid]["timings"]] == [
        "2030-03-05T14:00",
        "2030-03-06T00:00",
        "2030-03-07T00:00",
    ]
    webinar = events[cancelled.ical_uid]
    assert webinar["status"] == 6 and webinar["attendanceMode"] == 2
    assert "location" not in webinar
    # What we export, our own OpenAgenda reader imports with the same dates.
    parsed = parse_openagenda(response.content)
    assert {o.start for o in parsed.occurrences if o.uid == in_person.ical_uid} == {in_person.start}
    assert any(o.cancelled for o in parsed.occurrences if o.uid == cancelled.ical_uid)


def test_openagenda_csv_one_row_per_slot_and_no_live_formula(client, sessions):
    in_person, long_one, _cancelled = sessions
    response = client.get("/donnees-ouvertes/agenda-openagenda.csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len([row for row in rows if row["uid-externe"] == long_one.ical_uid]) == 3
    titles = [row["titre"] for row in rows if row["uid-externe"] == in_person.ical_uid]
    assert titles and not titles[0].startswith("=")


def test_mobilizon_ics_is_plain_valid_icalendar(client, sessions):
    in_person, _long_one, cancelled = sessions
    content = client.get("/donnees-ouvertes/agenda-mobilizon.ics").content
    assert b"METHOD:" not in content
    calendar = icalendar.Calendar.from_ical(content)
    assert list(vobject.readOne(content.decode()).vevent_list)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    event = events[in_person.ical_uid]
    assert event.decoded("DTSTART") == in_person.start
    assert in_person.venue.postcode in str(event["LOCATION"])
    assert "Inscription : " in str(event["DESCRIPTION"]) and "<" not in str(event["DESCRIPTION"])
    assert str(events[cancelled.ical_uid]["STATUS"]) == "CANCELLED"
    # Read back as a relay source would read it.
    assert {o.key for o in parse_ics(content).occurrences} >= {in_person.ical_uid}


def test_the_open_data_page_offers_the_exports(client, sessions):
    page = client.get("/donnees-ouvertes/").content.decode()
    assert "Exporter vers OpenAgenda" in page and "iCalendar pour Mobilizon" in page
    assert push_out.timings(sessions[0].start, sessions[0].end)[0]["begin"].endswith("+0100")
