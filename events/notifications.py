"""The emails of the agenda, each with an HTML and a text part and, when a calendar must
change, the session's .ics attached with `method=` on its content type (RFC 6047): without it
some calendars ignore a METHOD:CANCEL and keep the event.

Each kind of message is a `RegistrationNotice`; its subject, its opening sentence and its
calendar method are said here, once, so that the template only lays them out."""

from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.mail import build_templated_email

from .ical import registration_invitation
from .models import Registration


class RegistrationNotice(models.TextChoices):
    """What happened to a person's registration or to their session."""

    CONFIRMED = "confirmed", gettext_lazy("Inscription confirmée")
    WAITLISTED = "waitlisted", gettext_lazy("Vous êtes sur la liste d'attente")
    PROMOTED = "promoted", gettext_lazy("Une place s'est libérée : votre inscription est confirmée")
    CANCELLED = "cancelled", gettext_lazy("Inscription annulée")
    CHANGED = "changed", gettext_lazy("Changement")
    SESSION_CANCELLED = "session_cancelled", gettext_lazy("Session annulée")
    REMINDER = "reminder", gettext_lazy("Rappel : c'est demain")
    REMINDER_WEEK = "reminder_week", gettext_lazy("Rappel : c'est dans une semaine")
    REMINDER_MORNING = "reminder_morning", gettext_lazy("Rappel : c'est aujourd'hui")

    @property
    def ics_method(self) -> str | None:
        """The .ics to attach: an invitation, a cancellation, or none (waiting list)."""
        if self in (self.CANCELLED, self.SESSION_CANCELLED):
            return "CANCEL"
        return None if self == self.WAITLISTED else "REQUEST"

    @property
    def is_reminder(self) -> bool:
        """A reminder says how to get there and how to cancel."""
        return self in (self.REMINDER, self.REMINDER_WEEK, self.REMINDER_MORNING)

    @property
    def is_important(self) -> bool:
        """Shown in bold in the HTML part: the news changes the person's plans."""
        return self in (self.PROMOTED, self.SESSION_CANCELLED)

    def lead(self, registration: Registration) -> str:
        """The opening sentence of the message, in French."""
        session = registration.session
        if self == self.WAITLISTED:
            return _(
                "La session est complète : vous êtes sur la liste d'attente, en position "
                "%(position)s. Nous vous écrirons dès qu'une place se libère."
            ) % {"position": registration.waitlist_position}
        if self == self.SESSION_CANCELLED and session.cancel_reason:
            return _("Nous sommes désolés : la session est annulée. Motif : %(reason)s") % {
                "reason": session.cancel_reason
            }
        return {
            self.CONFIRMED: _(
                "Votre inscription est confirmée. L'invitation jointe l'ajoute à votre agenda."
            ),
            self.PROMOTED: _(
                "Une place s'est libérée : votre inscription est maintenant confirmée. "
                "L'invitation jointe l'ajoute à votre agenda."
            ),
            self.CANCELLED: _(
                "Votre inscription est annulée. L'invitation jointe retire la session de votre "
                "agenda."
            ),
            self.CHANGED: _(
                "La session a changé. Voici les nouvelles informations ; l'invitation jointe met "
                "votre agenda à jour."
            ),
            self.SESSION_CANCELLED: _("Nous sommes désolés : la session est annulée."),
            self.REMINDER: _("Petit rappel : la session a lieu demain."),
            self.REMINDER_WEEK: _("Petit rappel : la session a lieu dans une semaine."),
            self.REMINDER_MORNING: _("Petit rappel : la session a lieu aujourd'hui."),
        }[self]


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


def registration_email(
    *, registration: Registration, notice: RegistrationNotice
) -> EmailMultiAlternatives:
    """The message telling a person what happened to their registration or session."""
    if notice == RegistrationNotice.CANCELLED and registration.session.is_cancelled:
        notice = RegistrationNotice.SESSION_CANCELLED
    method = notice.ics_method
    if method == "REQUEST" and not registration.holds_seat:
        # A waitlisted person gets no invitation until promoted.
        method = None
    message = build_templated_email(
        template="events_registration",
        to=[registration.user.email],
        reply_to=[settings.MAILLAGE_HUB_REPLY_TO],
        context={
            "notice": notice,
            "lead": notice.lead(registration),
            "registration": registration,
            "session": registration.session,
            "user": registration.user,
            # The connection link is for people who still hold a seat at a session that happens.
            "show_online_url": registration.holds_seat and method != "CANCEL",
        },
    )
    if method:
        content = registration_invitation(registration, cancel=method == "CANCEL")
        message.attach(ics_attachment(content, method=method))
    return message
