import datetime
from urllib.parse import urlencode

from django import template

from core.fragment_cache import render_each
from core.hub import absolute_url

from ..dates import say_period
from ..ical import session_location
from ..models import Registration
from ..selectors import session_list_for_page

register = template.Library()


def _with_registrations(sessions, user) -> list[dict]:
    """Pair each session with the person's active registration, in one query."""
    registrations = {}
    if user is not None and user.is_authenticated and sessions:
        registrations = {
            registration.session_id: registration
            for registration in Registration.objects.filter(
                user=user,
                session__in=[session.pk for session in sessions],
                status__in=Registration.ACTIVE_STATUSES,
            )
        }
    return [{"session": s, "registration": registrations.get(s.pk)} for s in sessions]


@register.inclusion_tag("events/components/session_list.html", takes_context=True)
def session_list(context, page, past=False, heading_level=2):
    """The sessions of any page (training, conference, peer exchange) with seats left and the
    registration button: other apps include it instead of re-implementing registration.

    Usage: {% load events_tags %}{% session_list page %} or {% session_list page past=True %}
    """
    sessions = session_list_for_page(page=page, upcoming=not past)
    request = context.get("request")
    return {
        "items": _with_registrations(sessions, getattr(request, "user", None)),
        "page": page,
        "sessions": sessions,
        "past": past,
        "heading_tag": f"h{heading_level}",
        "request": request,
    }


@register.inclusion_tag("events/components/waiting_list_link.html")
def waiting_list_link(page, sessions):
    """The way onto the page's waiting list, shown when one of its upcoming sessions is full
    (any page type: {% waiting_list_link page sessions %}, sessions annotated by the
    selectors)."""
    return {
        "page": page,
        "any_full": any(session.is_full and session.registration_is_open() for session in sessions),
    }


@register.filter
def period_in_words(session) -> str:
    """{{ session|period_in_words }} → "mardi 3 décembre, 14 h – 16 h"."""
    return say_period(session.start, session.end)


@register.inclusion_tag("events/components/add_to_calendar.html")
def add_to_calendar(session):
    """Links that open the session in Google Agenda or Outlook, beside the .ics that Apple's
    Calendar and Thunderbird open (the links carry only what the public page shows)."""
    utc = datetime.UTC
    url = absolute_url(session.get_absolute_url())
    title = session.display_title
    where = session_location(session)
    google = urlencode(
        {
            "action": "TEMPLATE",
            "text": title,
            "dates": f"{session.start.astimezone(utc):%Y%m%dT%H%M%SZ}"
            f"/{session.end.astimezone(utc):%Y%m%dT%H%M%SZ}",
            "details": url,
            "location": where,
            "ctz": "Europe/Paris",
        }
    )
    outlook = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": session.start.astimezone(utc).isoformat(),
            "enddt": session.end.astimezone(utc).isoformat(),
            "body": url,
            "location": where,
        }
    )
    return {
        "session": session,
        "google_url": f"https://calendar.google.com/calendar/render?{google}",
        "outlook_url": f"https://outlook.live.com/calendar/0/action/compose?{outlook}",
    }


@register.simple_tag
def session_cards(sessions, version):
    """The agenda's cards of `sessions` (the agenda, the home page), cached per data version
    (core.fragment_cache): a card shows no one's own state. `version` is the view's
    `data_version`, read before the sessions' rows."""
    return render_each(
        "events/components/session_card.html",
        sessions,
        version=version,
        context=lambda session: {"session": session},
        key=lambda session: str(session.pk),
    )
