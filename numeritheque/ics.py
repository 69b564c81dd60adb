"""The pick-up and return days of a booking as an iCalendar file (RFC 5545), attached to every
email so that the structure has them in its own calendar. UIDs are stable per booking and the
SEQUENCE grows with each status change, so calendar apps update the events in place."""

import datetime

from django.conf import settings
from django.utils import timezone

from icalendar import Calendar, Event

from core.mail import Attachment

from .models import Booking


def _event(*, booking: Booking, uid: str, day: datetime.date, summary: str, sequence: int):
    event = Event()
    event.add("uid", f"{uid}-{booking.pk}@maillage")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("sequence", sequence)
    items = ", ".join(item.name for item in booking.items.all())
    event.add("description", f"Numérithèque — {items}")
    places = {str(item.home_place) for item in booking.items.select_related("home_place")}
    event.add("location", " ; ".join(sorted(places)))
    event.add("url", f"{settings.SITE_URL}/mon-espace/")
    if booking.status in (Booking.Status.REFUSED, Booking.Status.CANCELLED):
        event.add("status", "CANCELLED")
    else:
        event.add(
            "status", "CONFIRMED" if booking.status != Booking.Status.REQUESTED else "TENTATIVE"
        )
    return event


def booking_ics(booking: Booking) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Numérithèque//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    sequence = booking.transitions.count()
    calendar.add_component(
        _event(
            booking=booking,
            uid="numeritheque-retrait",
            day=booking.start,
            summary="Retrait du matériel de la numérithèque",
            sequence=sequence,
        )
    )
    calendar.add_component(
        _event(
            booking=booking,
            uid="numeritheque-retour",
            day=booking.end,
            summary="Retour du matériel de la numérithèque",
            sequence=sequence,
        )
    )
    return calendar.to_ical()


def booking_ics_attachment(booking: Booking) -> Attachment:
    return Attachment(
        filename=f"reservation-{booking.pk}.ics",
        content=booking_ics(booking),
        mimetype="text/calendar",
    )
