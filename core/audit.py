"""One audit trail for what staff do to other people's data (cancel a registration, mark
attendance, approve or refuse a booking, merge places, send a campaign): Wagtail's own log
entries, so each action shows in the object's history with who, when and what.

The services call `audit_log` inside their transaction: a refused or rolled-back action
leaves no entry. Entries are labelled by type and number, never by the person concerned, so
that anonymising a registration or a booking leaves no name behind in the trail."""

from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import LogFormatter, log

# action: (label in the history filter, message in the history). Namespaced by the owning
# app, like Wagtail's own "wagtail.create".
AUDIT_ACTIONS = {
    "events.registration_cancel": (
        _("Annulation d'une inscription par l'équipe"),
        _("Inscription annulée par l'équipe du Hub"),
    ),
    "events.attendance_mark": (
        _("Émargement"),
        _("Présence notée"),
    ),
    "events.registration_create_by_staff": (
        _("Inscription par l'équipe"),
        _("Personne inscrite par l'équipe du Hub"),
    ),
    "events.attendance_walk_in": (
        _("Personne venue sans inscription"),
        _("Ajoutée sur la feuille d'émargement, présente"),
    ),
    "events.registration_create_for_group": (
        _("Inscription d'un groupe"),
        _("Personne inscrite par la ou le gestionnaire de sa structure"),
    ),
    "events.waiting_list_leave": (
        _("Retrait d'une liste d'attente"),
        _("Retirée de la liste d'attente par une autre personne"),
    ),
    "events.seat_offer_accept": (
        _("Place prise pour quelqu'un"),
        _("Place proposée prise par une autre personne que la demandeuse"),
    ),
    "accounts.user_invite": (
        _("Compte ouvert par l'équipe"),
        _("Compte ouvert par l'équipe du Hub, lien de mot de passe envoyé"),
    ),
    "numeritheque.booking_approve": (
        _("Réservation acceptée"),
        _("Réservation acceptée"),
    ),
    "numeritheque.booking_refuse": (
        _("Réservation refusée"),
        _("Réservation refusée"),
    ),
    "directory.membership_manager_approve": (
        _("Gestion d'une structure accordée"),
        _("Demande « je gère cette structure » acceptée"),
    ),
    "directory.membership_manager_refuse": (
        _("Gestion d'une structure refusée"),
        _("Demande « je gère cette structure » refusée"),
    ),
    "directory.place_proposal_approve": (
        _("Lieu proposé publié"),
        _("Lieu proposé par sa structure relu et publié"),
    ),
    "directory.place_proposal_refuse": (
        _("Lieu proposé refusé"),
        _("Lieu proposé par sa structure refusé"),
    ),
    "directory.place_merge": (
        _("Fusion de lieux"),
        _("Fiche fusionnée avec un doublon"),
    ),
    "trainings.certificate_revoke": (
        _("Révocation d'une attestation"),
        _("Attestation de présence révoquée"),
    ),
    "newsletter.campaign_send": (
        _("Envoi d'une campagne"),
        _("Envoi de la campagne lancé"),
    ),
}


class AuditFormatter(LogFormatter):
    """The action's message; the entry's `comment` (a reason, a status) in the history's
    comment line."""

    def format_comment(self, log_entry):
        return log_entry.data.get("comment", "")


def audit_actions_register(actions) -> None:
    """Give every audited action its French label and message (the register_log_actions
    hook)."""
    for action, (label, message) in AUDIT_ACTIONS.items():
        actions.register_action(action)(
            type(
                "AuditFormatter",
                (AuditFormatter,),
                {"label": label, "message": message},
            )
        )


def audit_log(*, instance, action: str, user, data: dict | None = None):
    """Record that `user` did `action` to `instance` now; `data` (JSON) says what, with an
    optional "comment" shown in the history. Raises ValueError for an action not in
    AUDIT_ACTIONS (it would show in the history without a label)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"Action d'audit inconnue : {action}")
    return log(
        instance=instance,
        action=action,
        user=user,
        data=data or {},
        title=f"{instance._meta.verbose_name} n° {instance.pk}",
    )
