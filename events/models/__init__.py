"""The agenda engine: every dated, registrable thing is a Session attached to a Wagtail page
(a conference here, a training or a peer-exchange format in the apps above), and people hold
Registrations on it. Business rules live in services.py; this module holds data and small
derived properties only."""

from .feed import FeedEvent
from .pages import AgendaIndexPage, ConferencePage, Speaker
from .reminders import Reminder, ReminderKind, ReminderOptOut
from .sessions import Registration, Session, SessionPageMixin, session_page_models
from .waitlists import SeatOffer, WaitingListEntry, WaitingListPerson

__all__ = [
    "AgendaIndexPage",
    "ConferencePage",
    "FeedEvent",
    "Registration",
    "Reminder",
    "ReminderKind",
    "ReminderOptOut",
    "SeatOffer",
    "Session",
    "SessionPageMixin",
    "Speaker",
    "WaitingListEntry",
    "WaitingListPerson",
    "session_page_models",
]
