"""The emails of the agenda, each with an HTML and a text part and, when a calendar must
change, the session's .ics attached with `method=` on its content type (RFC 6047): without it
some calendars ignore a METHOD:CANCEL and keep the event."""

from email.message import MIMEPart

from django.core.mail import EmailMultiAlternatives

from core.mail import build_templated_email

from .ical import registration_invitation
from .models import Registration

# event → (.ics method or None for no attachment)
EVENT_METHODS = {
    "confirmed": "REQUEST",
    "waitlisted": None,
    "promoted": "REQUEST",
    "cancelled": "CANCEL",
    "changed": "REQUEST",
    "session_cancelled": "CANCEL",
    "reminder": "REQUEST",
}


def ics_attachment(content: bytes, *, method: str) -> MIMEPart:
    part = MIMEPart()
    part.set_content(
        content.decode(),
        subtype="calendar",
        charset="utf-8",
        params={"method": method},
        disposition="attachment",
        filename="invitation.ics" if method == "REQUEST" else "annulation.ics",
    )
    return part


def registration_email(*, registration: Registration, event: str) -> EmailMultiAlternatives:
    """The message telling a person what happened to their registration or session."""
    if event == "cancelled" and registration.session.is_cancelled:
        event = "session_cancelled"
    method = EVENT_METHODS[event]
    if method == "REQUEST" and not registration.holds_seat:
        # A waitlisted person gets no invitation until promoted.
        method = None
    message = build_templated_email(
        template="events_registration",
        to=[registration.user.email],
        context={
            "event": event,
            "registration": registration,
            "session": registration.session,
            "user": registration.user,
        },
    )
    if method:
        content = registration_invitation(registration, cancel=method == "CANCEL")
        message.attach(ics_attachment(content, method=method))
    return message
