"""What each numérithèque message says: its subject and its opening sentence, per
`BookingNotice.Kind`; the email templates only lay them out around the booking's details."""

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.mail import build_templated_email

from .ics import booking_ics_attachment
from .models import Booking, BookingNotice
from .selectors import booking_pickups

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
    Kind.MISSING_ACCESSORIES: _("Numérithèque : accessoires manquants (réservation n° %(pk)s)"),
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
    Kind.MISSING_ACCESSORIES: _(
        "Le matériel est rendu, mais il manque des accessoires prêtés avec lui : merci de les "
        "rapporter au lieu de retrait ou de contacter l'équipe."
    ),
}


# What the numérithèque team is told, in its own message (never on the requester's « To »).
TEAM_SUBJECTS = {
    Kind.REQUESTED: _("Numérithèque : nouvelle demande n° %(pk)s de %(structure)s"),
    Kind.CANCELLED: _("Numérithèque : réservation n° %(pk)s annulée par %(structure)s"),
    Kind.LATE: _("Numérithèque : réservation n° %(pk)s en retard (%(structure)s)"),
    Kind.MISSING_ACCESSORIES: _(
        "Numérithèque : accessoires manquants au retour n° %(pk)s (%(structure)s)"
    ),
}
TEAM_MESSAGES = {
    Kind.REQUESTED: _(
        "Une structure demande du matériel : le matériel lui est réservé jusqu'à votre "
        "réponse. Acceptez ou refusez la demande depuis le guichet."
    ),
    Kind.CANCELLED: _(
        "Cette réservation est annulée : son matériel est de nouveau disponible et n'est pas à "
        "préparer."
    ),
    Kind.LATE: _("Le matériel de cette réservation n'est pas revenu à la date prévue."),
    Kind.MISSING_ACCESSORIES: _(
        "Des accessoires sortis avec ce matériel ne sont pas revenus : ils sont notés "
        "manquants sur la réservation. La structure est invitée à les rapporter."
    ),
}


def booking_notice_email(
    *,
    booking: Booking,
    kind: BookingNotice.Kind,
    to: list[str],
    context: dict,
    team: bool = False,
) -> EmailMultiAlternatives:
    """The message of `kind` about `booking` for its requester (or, `team`, for the
    numérithèque team), with where and when each item is picked up and brought back, and the
    pick-up and return days as .ics."""
    subjects, wording = (TEAM_SUBJECTS, TEAM_MESSAGES) if team else (SUBJECTS, MESSAGES)
    return build_templated_email(
        template="numeritheque_notice",
        to=to,
        context={
            "booking": booking,
            "subject": subjects[kind] % {"pk": booking.pk, "structure": booking.structure},
            "message": wording[kind],
            "team": team,
            "pickups": booking_pickups(booking=booking),
            "desk_path": reverse("numeritheque_guichet:detail", args=[booking.pk]),
            **context,
        },
        attachments=[booking_ics_attachment(booking)],
    )
