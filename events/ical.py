"""iCalendar (RFC 5545) for sessions: public feeds, personal feeds and email invitations
(RFC 5546 METHOD:REQUEST / METHOD:CANCEL). Times are written in UTC, so no VTIMEZONE is
needed; the UID is the session's stable uuid and SEQUENCE its `sequence`."""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, vCalAddress, vText

from .models import Registration, Session

PRODID = "-//Maillage//Agenda de la médiation numérique//FR"


def session_uid(session: Session) -> str:
    return session.ical_uid


def session_location(session: Session) -> str:
    if session.is_outside:
        parts = [session.outside_location, session.outside_commune.name]
        return ", ".join(part for part in parts if part)
    if session.venue_id is None:
        return str(_("En ligne"))
    venue = session.venue
    parts = [venue.name, venue.address, f"{venue.postcode} {venue.commune}".strip()]
    return ", ".join(part for part in parts if part)


def _organizer() -> vCalAddress:
    from core.hub import hub_identity

    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(hub_identity().name)
    return organizer


def session_event(
    session: Session, *, status: str | None = None, attendee=None, cancel: bool = False
) -> Event:
    """One VEVENT. `status` is the person's registration status in a personal feed
    (waitlisted → TENTATIVE, and the online link is given to confirmed people only)."""
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.start.astimezone(datetime.UTC))
    event.add("dtend", session.end.astimezone(datetime.UTC))
    event.add("sequence", session.sequence)
    event.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    event.add("summary", session.display_title)
    url = settings.SITE_URL + session.get_absolute_url()
    event.add("url", url)
    description = [getattr(session.page, "search_description", "") or "", url]
    if session.is_cancelled and session.cancel_reason:
        description.insert(0, _("Annulée : %(reason)s") % {"reason": session.cancel_reason})
    if session.online_url and status in Registration.SEAT_STATUSES:
        description.append(_("Lien de connexion : %(url)s") % {"url": session.online_url})
    event.add("description", "\n".join(line for line in description if line))
    event.add("location", session_location(session))
    if session.venue_id and session.venue.latitude is not None:
        event.add("geo", (session.venue.latitude, session.venue.longitude))
    event.add("categories", [str(Session.Kind(session.kind).label)])
    if cancel or session.is_cancelled:
        event.add("status", "CANCELLED")
    elif status == Registration.Status.WAITLISTED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    if attendee is not None:
        event.add("organizer", _organizer())
        person = vCalAddress(f"mailto:{attendee.email}")
        person.params["cn"] = vText(str(attendee))
        person.params["role"] = vText("REQ-PARTICIPANT")
        person.params["partstat"] = vText(
            "TENTATIVE" if status == Registration.Status.WAITLISTED else "ACCEPTED"
        )
        event.add("attendee", person)
    return event


def calendar_build(
    *, sessions, name: str, method: str = "PUBLISH", statuses: dict | None = None
) -> bytes:
    """A whole VCALENDAR, folded at 75 octets by the icalendar library (UTF-8 safe)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        status = statuses.get(session.pk) if statuses else None
        calendar.add_component(session_event(session, status=status))
    return calendar.to_ical()


def registration_invitation(registration: Registration, *, cancel: bool = False) -> bytes:
    """The .ics attached to an email: METHOD:REQUEST, or METHOD:CANCEL when the registration or
    the session is cancelled, so that the person's calendar removes the event."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    calendar.add_component(
        session_event(
            registration.session,
            status=registration.status,
            attendee=registration.user,
            cancel=cancel,
        )
    )
    return calendar.to_ical()
