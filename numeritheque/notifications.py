"""What each numérithèque message says: its subject and its opening sentence, per
`BookingNotice.Kind`; the email templates only lay them out around the booking's details."""

from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext_lazy as _

from core.mail import build_templated_email

from .ics import booking_ics_attachment
from .models import Booking, BookingNotice

Kind = BookingNotice.Kind

SUBJECTS = {
    Kind.REQUESTED: _("Numérithèque : demande de réservation n° %(pk)s reçue"),
    Kind.ACCEPTED: _("Numérithèque : réservation n° %(pk)s acceptée"),
    Kind.REFUSED: _("Numérithèque : réservation n° %(pk)s refusée"),
    Kind.CANCELLED: _("Numérithèque : réservation n° %(pk)s annulée"),
    Kind.OUT: _("Numérithèque : matériel de la réservation n° %(pk)s retiré"),
    Kind.RETURNED: _("Numérithèque : matériel de la réservation n° %(pk)s rendu"),
    Kind.PICKUP_REMINDER: _("Numérithèque : retrait du matériel demain"),
    Kind.RETURN_REMINDER: _("Numérithèque : retour du matériel demain"),
    Kind.LATE: _("Numérithèque : réservation n° %(pk)s en retard"),
}

MESSAGES = {
    Kind.REQUESTED: _(
        "Une demande de réservation de matériel a été enregistrée. Le matériel vous est "
        "réservé en attendant la réponse de l'équipe."
    ),
    Kind.ACCEPTED: _(
        "Votre réservation est acceptée. Le matériel vous attend au lieu de retrait le jour prévu."
    ),
    Kind.REFUSED: _("Votre demande de réservation est refusée."),
    Kind.CANCELLED: _("La réservation est annulée : le matériel est de nouveau disponible."),
    Kind.OUT: _("Le matériel est sorti : bonne utilisation !"),
    Kind.RETURNED: _("Le matériel est rendu. Merci !"),
    Kind.PICKUP_REMINDER: _("Rappel : vous retirez le matériel demain."),
    Kind.RETURN_REMINDER: _("Rappel : le matériel est à rendre demain."),
    Kind.LATE: _(
        "Le matériel aurait dû être rendu : merci de le rapporter au plus vite ou de contacter "
        "l'équipe."
    ),
}


def booking_notice_email(
    *, booking: Booking, kind: BookingNotice.Kind, to: list[str], context: dict
) -> EmailMultiAlternatives:
    """The message of `kind` about `booking`, with the pick-up and return days as .ics."""
    return build_templated_email(
        template="numeritheque_notice",
        to=to,
        context={
            "booking": booking,
            "subject": SUBJECTS[kind] % {"pk": booking.pk},
            "message": MESSAGES[kind],
            **context,
        },
        attachments=[booking_ics_attachment(booking)],
    )
