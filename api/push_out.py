"""The agenda in the shapes other platforms import, for partners who cannot subscribe to a
feed and must push: OpenAgenda's event schema (JSON, and the same as a flat CSV) and an
iCalendar that Mobilizon's importers read (plain-text descriptions, a one-line postal address
to geocode, no METHOD, UTC times).

OpenAgenda's rules followed: a multilingual title and a short description (at most 200
characters), a long description, one or more time slots none longer than 24 hours (a longer
session is cut at midnight, Paris time), a location for in-person events, `attendanceMode` 1 in
person / 2 online, `status` 1 scheduled / 6 cancelled. The partner's importer keeps our UID
(`uid-externe`), so a second export updates rather than duplicates."""

import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from events import ical_writer as w
from events.ical import PRODID, session_location

SHORT_DESCRIPTION_MAX = 200
OPENAGENDA_SCHEDULED, OPENAGENDA_CANCELLED = 1, 6
OFFLINE, ONLINE = 1, 2

OPENAGENDA_CSV_COLUMNS = (
    "uid-externe",
    "titre",
    "description courte",
    "description longue",
    "mots-cles",
    "debut",
    "fin",
    "mode de participation",
    "lieu",
    "adresse",
    "code postal",
    "ville",
    "latitude",
    "longitude",
    "inscription",
    "statut",
    "url",
)


def _paris() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _oa_time(moment: datetime.datetime) -> str:
    """OpenAgenda's form: 2024-05-07T10:00:00+0200."""
    return moment.astimezone(_paris()).strftime("%Y-%m-%dT%H:%M:%S%z")


def timings(start: datetime.datetime, end: datetime.datetime) -> list[dict]:
    """Time slots of at most 24 hours: a longer session is cut at each midnight (Paris)."""
    slots = []
    start, end = start.astimezone(_paris()), end.astimezone(_paris())
    while end - start > datetime.timedelta(hours=24):
        midnight = datetime.datetime.combine(
            start.date() + datetime.timedelta(days=1), datetime.time(0), tzinfo=_paris()
        )
        slots.append({"begin": _oa_time(start), "end": _oa_time(midnight)})
        start = midnight
    slots.append({"begin": _oa_time(start), "end": _oa_time(end)})
    return slots


def _plain(session) -> str:
    text = session.description or getattr(session.page.specific, "intro", "") or ""
    return " ".join(strip_tags(text).split()) or (session.page.search_description or "")


def _short(text: str, fallback: str) -> str:
    text = text or fallback
    if len(text) <= SHORT_DESCRIPTION_MAX:
        return text
    return text[: SHORT_DESCRIPTION_MAX - 1].rsplit(" ", 1)[0] + "…"


def _registration_url(session) -> str:
    return session.external_registration_url or settings.SITE_URL + reverse(
        "events:registration_confirm", kwargs={"pk": session.pk}
    )


def openagenda_event(session) -> dict:
    """One session as an OpenAgenda event."""
    text = _plain(session)
    url = settings.SITE_URL + session.get_absolute_url()
    event = {
        "uid-externe": session.ical_uid,
        "title": {"fr": session.display_title[:140]},
        "description": {"fr": _short(text, session.display_title)},
        "longDescription": {"fr": f"{text}\n\n{url}".strip()},
        "keywords": {"fr": [theme.name for theme in session.themes.all()]},
        "timings": timings(session.start, session.end),
        "attendanceMode": ONLINE if session.is_online else OFFLINE,
        "registration": [{"type": "link", "value": _registration_url(session)}],
        "status": OPENAGENDA_CANCELLED if session.is_cancelled else OPENAGENDA_SCHEDULED,
        "links": [{"link": url}],
    }
    location = _location(session)
    if location:
        event["location"] = location
    return event


def _location(session) -> dict | None:
    if session.venue_id:
        venue = session.venue
        return {
            "name": venue.name,
            "address": venue.address,
            "postalCode": venue.postcode,
            "city": venue.commune,
            "latitude": venue.latitude,
            "longitude": venue.longitude,
            "countryCode": "FR",
        }
    if session.outside_commune_id:
        commune = session.outside_commune
        return {
            "name": session.outside_location or commune.name,
            "address": session.outside_location,
            "postalCode": (commune.postcodes.split() or [""])[0],
            "city": commune.name,
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "countryCode": "FR",
        }
    return None


def openagenda_document(sessions) -> dict:
    events = [openagenda_event(session) for session in sessions]
    return {"total": len(events), "events": events}


def openagenda_csv_rows(sessions):
    for session in sessions:
        event = openagenda_event(session)
        location = event.get("location") or {}
        for slot in event["timings"]:
            yield [
                event["uid-externe"],
                event["title"]["fr"],
                event["description"]["fr"],
                event["longDescription"]["fr"],
                ", ".join(event["keywords"]["fr"]),
                slot["begin"],
                slot["end"],
                _("en ligne") if event["attendanceMode"] == ONLINE else _("sur place"),
                location.get("name", ""),
                location.get("address", ""),
                location.get("postalCode", ""),
                location.get("city", ""),
                "" if location.get("latitude") is None else location["latitude"],
                "" if location.get("longitude") is None else location["longitude"],
                event["registration"][0]["value"],
                _("annulé") if session.is_cancelled else _("programmé"),
                event["links"][0]["link"],
            ]


def mobilizon_ics(sessions) -> bytes:
    """Every session as a VEVENT Mobilizon's importers take: plain text, a postal address on
    one line (geocoded there), the registration link in the description."""
    host = urlsplit(settings.SITE_URL).hostname or "maillage"
    parts = [
        w.calendar_begin(
            prodid=PRODID, name=str(_("Agenda de la médiation numérique")), timezone="UTC"
        ).replace(b"METHOD:PUBLISH\r\n", b"")
    ]
    stamp = w.content_line("DTSTAMP", w.utc(timezone.now()))
    for session in sessions:
        url = settings.SITE_URL + session.get_absolute_url()
        description = [
            _plain(session),
            _("Inscription : %(url)s") % {"url": _registration_url(session)},
        ]
        if session.is_cancelled and session.cancel_reason:
            description.insert(0, _("Annulée : %(reason)s") % {"reason": session.cancel_reason})
        event = [
            b"BEGIN:VEVENT\r\n",
            w.text_line("UID", session.ical_uid or f"{session.uid}@{host}"),
            stamp,
            w.content_line("DTSTART", w.utc(session.start)),
            w.content_line("DTEND", w.utc(session.end)),
            w.content_line("SEQUENCE", str(session.sequence)),
            w.text_line("SUMMARY", session.display_title),
            w.text_line("DESCRIPTION", "\n\n".join(line for line in description if line)),
            w.text_line("LOCATION", session_location(session)),
            w.content_line("URL", url),
        ]
        if session.venue_id and session.venue.latitude is not None:
            event.append(
                w.content_line("GEO", f"{session.venue.latitude};{session.venue.longitude}")
            )
        themes = [w.escape_text(theme.name) for theme in session.themes.all()]
        if themes:
            event.append(w.content_line("CATEGORIES", ",".join(themes)))
        event.append(b"STATUS:CANCELLED\r\n" if session.is_cancelled else b"STATUS:CONFIRMED\r\n")
        event.append(b"END:VEVENT\r\n")
        parts.append(b"".join(event))
    parts.append(w.CALENDAR_END)
    return b"".join(parts)
