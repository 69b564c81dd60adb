"""Reading a partner's feed into occurrences: iCalendar (recurrences expanded over a horizon),
RSS with the event module's dates, OpenAgenda's JSON export.

Every parser returns a `Parsed`: the occurrences it understood, and those it refused with the
French reason, so that the source's report says what was left out and why. A feed that cannot
be read at all (not iCalendar, an XML bomb, far too many events) raises ParseError: nothing of
it is imported. Times come out aware: a TZID is honoured, a floating time is read in the
calendar's own zone (X-WR-TIMEZONE) or Europe/Paris, an all-day event runs from midnight to
midnight there. Descriptions come out as the safe subset of HTML (core.html.html_sanitise);
links are kept only when they are http or https."""

import dataclasses
import datetime
import hashlib
import html
import json
import re
import zoneinfo
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

import icalendar
import recurring_ical_events
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from core.errors import DomainError
from core.html import html_sanitise

EVENT_NS = "{http://purl.org/rss/1.0/modules/event/}"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
TAG = re.compile(r"<[a-zA-Z/][^>]*>")
DESCRIPTION_MAX = 20_000
# OpenAgenda's event statuses: 1 scheduled, 2 rescheduled, 3 moved online, 4 postponed,
# 5 full, 6 cancelled.
OPENAGENDA_CANCELLED = 6


class ParseError(DomainError):
    """A feed that cannot be read; nothing of it is imported."""


@dataclasses.dataclass
class Occurrence:
    key: str
    uid: str
    title: str
    start: datetime.datetime
    end: datetime.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False

    def fingerprint(self) -> str:
        """Moves when anything shown of the occurrence changes."""
        fields = [
            self.title,
            self.start.isoformat(),
            self.end.isoformat(),
            self.description,
            self.location,
            self.url,
            str(self.cancelled),
        ]
        return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


@dataclasses.dataclass
class Refusal:
    label: str
    reason: str


@dataclasses.dataclass
class Parsed:
    occurrences: list[Occurrence] = dataclasses.field(default_factory=list)
    refused: list[Refusal] = dataclasses.field(default_factory=list)
    # Keys of events seen but refused: they did not vanish, so they are not cancelled.
    seen_keys: set[str] = dataclasses.field(default_factory=set)


def _paris() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _window() -> tuple[datetime.datetime, datetime.datetime]:
    now = timezone.now()
    return now, now + datetime.timedelta(days=settings.MAILLAGE_RELAY_HORIZON_DAYS)


def _too_many(count: int) -> ParseError:
    return ParseError(
        _(
            "Le flux contient plus de %(limit)s événements à venir (%(count)s au moins) : "
            "rien n'est importé. Demandez au partenaire un flux limité aux prochains mois."
        )
        % {"limit": settings.MAILLAGE_RELAY_MAX_EVENTS, "count": count},
        code="too_many_events",
    )


def description_html(text: str) -> str:
    """Plain text or HTML from a feed as the safe subset of HTML."""
    text = (text or "")[:DESCRIPTION_MAX].strip()
    if not text:
        return ""
    if not TAG.search(text):
        paragraphs = [html.escape(part).replace("\n", "<br>") for part in text.split("\n\n")]
        text = "".join(f"<p>{part}</p>" for part in paragraphs if part.strip())
    return html_sanitise(text)


def web_url(value) -> str:
    """The link if it is an http(s) one, else nothing (`javascript:`, `data:`, garbage)."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text[:1000] if parts.scheme in ("http", "https") and parts.hostname else ""


def _one_line(value, limit: int = 255) -> str:
    return " ".join(str(value or "").split())[:limit]


def _aware(value, zone) -> datetime.datetime:
    """A DTSTART/DTEND value (date, floating or aware datetime) as an aware datetime."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(0, 0), tzinfo=zone)
    raise ValueError(value)


def _calendar_zone(calendar) -> zoneinfo.ZoneInfo:
    name = str(calendar.get("X-WR-TIMEZONE", "") or "").strip()
    try:
        return zoneinfo.ZoneInfo(name) if name else _paris()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return _paris()


def _recurrence_key(value, zone) -> str:
    moment = value.dt if hasattr(value, "dt") else value
    if isinstance(moment, datetime.datetime):
        return _aware(moment, zone).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")


def _event_problem(component) -> str | None:
    """Why a VEVENT cannot be imported, or None."""
    try:
        start = component.get("DTSTART")
        if start is None:
            return _("pas de date de début")
        start = start.dt
        end = component.get("DTEND")
        end = end.dt if end is not None else None
    except (ValueError, TypeError, KeyError):
        return _("date invalide")
    if (
        end is not None
        and type(end) is not type(start)
        and not (isinstance(start, datetime.date) and isinstance(end, datetime.date))
    ):
        return _("date invalide")
    if not str(component.get("SUMMARY", "") or "").strip():
        return _("pas de titre")
    return None


def parse_ics(data: bytes) -> Parsed:
    """An iCalendar feed; recurring events expanded from now to the horizon."""
    limit = settings.MAILLAGE_RELAY_MAX_EVENTS
    raw_count = data.count(b"BEGIN:VEVENT")
    if raw_count > limit * 20:
        raise _too_many(raw_count)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, TypeError) as error:
        raise ParseError(
            _("Ce fichier n'est pas un iCalendar lisible : %(error)s") % {"error": error},
            code="invalid_ics",
        ) from error
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        raise ParseError(_("Ce fichier n'est pas un iCalendar (VCALENDAR)."), code="invalid_ics")
    zone = _calendar_zone(calendar)
    parsed = Parsed()
    series_uids = set()
    for component in list(calendar.subcomponents):
        if component.name != "VEVENT":
            continue
        uid = _one_line(component.get("UID", ""), 400)
        problem = _event_problem(component) if uid else _("pas d'UID")
        if problem:
            parsed.refused.append(
                Refusal(label=_one_line(component.get("SUMMARY", "")) or uid or "?", reason=problem)
            )
            if uid:
                parsed.seen_keys.add(uid)
            calendar.subcomponents.remove(component)
            continue
        if any(name in component for name in ("RRULE", "RDATE", "RECURRENCE-ID")):
            series_uids.add(uid)
    start, horizon = _window()
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for event in query.after(start):
            occurrence_start = _aware(event["DTSTART"].dt, zone)
            if occurrence_start > horizon:
                break
            if len(parsed.occurrences) >= limit:
                raise _too_many(len(parsed.occurrences) + 1)
            parsed.occurrences.append(_ics_occurrence(event, zone, series_uids))
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise ParseError(
            _("Les dates de ce calendrier ne se lisent pas : %(error)s") % {"error": error},
            code="invalid_ics",
        ) from error
    return parsed


def _ics_occurrence(event, zone, series_uids) -> Occurrence:
    uid = _one_line(event["UID"], 400)
    start = _aware(event["DTSTART"].dt, zone)
    if "DTEND" in event:
        end = _aware(event["DTEND"].dt, zone)
    elif "DURATION" in event:
        end = start + event["DURATION"].dt
    elif not isinstance(event["DTSTART"].dt, datetime.datetime):
        end = start + datetime.timedelta(days=1)
    else:
        end = start
    if end <= start:
        end = start + datetime.timedelta(hours=1)
    key = uid
    if uid in series_uids and "RECURRENCE-ID" in event:
        key = f"{uid}/{_recurrence_key(event['RECURRENCE-ID'], zone)}"
    return Occurrence(
        key=key,
        uid=uid,
        title=_one_line(event.get("SUMMARY")),
        start=start,
        end=end,
        description=description_html(str(event.get("DESCRIPTION", "") or "")),
        location=_one_line(event.get("LOCATION", "")),
        url=web_url(event.get("URL", "")),
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
    )


def _text(element, name: str) -> str:
    found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def _rss_date(value: str, zone) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def parse_rss(data: bytes) -> Parsed:
    """An RSS 2.0 feed whose items carry the event module's dates (ev:startdate, ev:enddate,
    ev:location). No DTD is accepted at all: billion laughs and external entities stop here."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, SafeET.ParseError) as error:
        raise ParseError(
            _("Ce flux RSS est refusé (XML invalide ou dangereux) : %(error)s") % {"error": error},
            code="invalid_rss",
        ) from error
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ParseError(_("Ce fichier n'est pas un flux RSS."), code="invalid_rss")
    zone = _paris()
    window_start, horizon = _window()
    parsed = Parsed()
    for item in channel.findall("item"):
        title = _one_line(_text(item, "title"))
        link = _text(item, "link")
        uid = _one_line(_text(item, "guid") or link, 400)
        label = title or uid or "?"
        if not uid:
            parsed.refused.append(Refusal(label=label, reason=_("ni guid ni lien")))
            continue
        parsed.seen_keys.add(uid)
        start = _rss_date(_text(item, f"{EVENT_NS}startdate"), zone)
        if start is None:
            parsed.refused.append(
                Refusal(label=label, reason=_("pas de date de début lisible (ev:startdate)"))
            )
            continue
        if not title:
            parsed.refused.append(Refusal(label=label, reason=_("pas de titre")))
            continue
        end = _rss_date(_text(item, f"{EVENT_NS}enddate"), zone)
        if end is None or end <= start:
            end = start + datetime.timedelta(hours=1)
        if end < window_start or start > horizon:
            continue
        if len(parsed.occurrences) >= settings.MAILLAGE_RELAY_MAX_EVENTS:
            raise _too_many(len(parsed.occurrences) + 1)
        body = _text(item, f"{CONTENT_NS}encoded") or _text(item, "description")
        parsed.occurrences.append(
            Occurrence(
                key=uid,
                uid=uid,
                title=title,
                start=start,
                end=end,
                description=description_html(body),
                location=_one_line(_text(item, f"{EVENT_NS}location")),
                url=web_url(link),
                cancelled=_text(item, f"{EVENT_NS}status").lower() in ("cancelled", "annulé"),
            )
        )
    return parsed


def _localized(value) -> str:
    """OpenAgenda's multilingual fields: French first, then any language."""
    if isinstance(value, dict):
        for language in ("fr", "en", *value):
            text = value.get(language)
            if isinstance(text, str) and text.strip():
                return text
        return ""
    return value if isinstance(value, str) else ""


def _openagenda_url(event: dict) -> str:
    for registration in event.get("registration") or []:
        if isinstance(registration, dict) and registration.get("type") == "link":
            link = web_url(registration.get("value"))
            if link:
                return link
    link = web_url(event.get("canonicalUrl")) or web_url(event.get("onlineAccessLink"))
    if link:
        return link
    agenda = event.get("originAgenda") or {}
    if isinstance(agenda, dict) and agenda.get("slug") and event.get("slug"):
        return web_url(f"https://openagenda.com/{agenda['slug']}/events/{event['slug']}")
    return ""


def _openagenda_location(event: dict) -> str:
    location = event.get("location") or {}
    if not isinstance(location, dict):
        return ""
    locality = " ".join(
        str(part) for part in (location.get("postalCode"), location.get("city")) if part
    )
    parts = [location.get("name"), location.get("address")]
    address = str(location.get("address") or "")
    if locality and locality not in address:
        parts.append(locality)
    return _one_line(", ".join(str(part) for part in parts if part))


def parse_openagenda(data: bytes) -> Parsed:
    """OpenAgenda's JSON export (`{"events": [...]}`, as its API v2 and agenda export give),
    one occurrence per timing."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ParseError(
            _("Ce fichier n'est pas un JSON lisible : %(error)s") % {"error": error},
            code="invalid_json",
        ) from error
    events = document.get("events") if isinstance(document, dict) else document
    if not isinstance(events, list):
        raise ParseError(
            _("Ce JSON n'a pas la forme d'un export OpenAgenda (liste « events »)."),
            code="invalid_json",
        )
    zone = _paris()
    window_start, horizon = _window()
    parsed = Parsed()
    for event in events:
        if not isinstance(event, dict):
            continue
        # `uid-externe`: the identifier an exporter (ours, api/push_out.py) gives its events.
        uid = _one_line(event.get("uid") or event.get("uid-externe") or "", 200)
        title = _one_line(_localized(event.get("title")))
        label = title or uid or "?"
        if not uid:
            parsed.refused.append(Refusal(label=label, reason=_("pas d'identifiant (uid)")))
            continue
        timings = [timing for timing in event.get("timings") or [] if isinstance(timing, dict)]
        parsed.seen_keys.add(uid)
        parsed.seen_keys.update(f"{uid}/{timing.get('begin')}" for timing in timings)
        if not title:
            parsed.refused.append(Refusal(label=label, reason=_("pas de titre")))
            continue
        if not timings:
            parsed.refused.append(Refusal(label=label, reason=_("aucune date (timings)")))
            continue
        description = _localized(event.get("longDescription")) or _localized(
            event.get("description")
        )
        common = {
            "uid": uid,
            "title": title,
            "description": description_html(description),
            "location": _openagenda_location(event),
            "url": _openagenda_url(event),
            "cancelled": event.get("status") == OPENAGENDA_CANCELLED,
        }
        for timing in timings:
            start = _rss_date(str(timing.get("begin") or ""), zone)
            end = _rss_date(str(timing.get("end") or ""), zone)
            if start is None or end is None or end <= start:
                parsed.refused.append(Refusal(label=label, reason=_("date invalide")))
                continue
            if end < window_start or start > horizon:
                continue
            if len(parsed.occurrences) >= settings.MAILLAGE_RELAY_MAX_EVENTS:
                raise _too_many(len(parsed.occurrences) + 1)
            key = uid if len(timings) == 1 else f"{uid}/{timing.get('begin')}"
            parsed.occurrences.append(Occurrence(key=key, start=start, end=end, **common))
    return parsed


PARSERS = {"ics": parse_ics, "rss": parse_rss, "openagenda": parse_openagenda}
