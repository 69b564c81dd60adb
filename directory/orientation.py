"""What a person should bring, for each service of the standard: the Hub's orientation
guidance printed on the fiche d'orientation (the standard itself has no such field)."""

from django.utils.translation import gettext_lazy as _

_COMMON = [_("un téléphone portable chargé, si vous en avez un")]

WHAT_TO_BRING = {
    "Aide aux démarches administratives": [
        _("une pièce d'identité"),
        _("les courriers reçus de l'administration concernée"),
        _("vos identifiants (FranceConnect, ameli, impots.gouv, CAF…) si vous les avez"),
        _("un RIB si la démarche concerne une aide ou un remboursement"),
    ],
    "Maîtrise des outils numériques du quotidien": [
        _("votre ordinateur, tablette ou téléphone si vous voulez apprendre sur votre appareil"),
        _("vos mots de passe notés, si vous en avez"),
    ],
    "Insertion professionnelle via le numérique": [
        _("votre CV, sur papier ou sur une clé USB"),
        _("vos identifiants France Travail"),
    ],
    "Utilisation sécurisée du numérique": [
        _("l'appareil concerné (téléphone, ordinateur)"),
        _("les messages suspects reçus, sans cliquer sur leurs liens"),
    ],
    "Parentalité et éducation avec le numérique": [
        _("vos identifiants de l'espace numérique de travail (ENT) de l'établissement"),
    ],
    "Loisirs et créations numériques": [_("vos idées et vos photos, sur une clé USB")],
    "Compréhension du monde numérique": [_("vos questions, notées à l'avance")],
    "Accès internet et matériel informatique": [
        _("une clé USB pour enregistrer vos documents"),
        _("de quoi payer les impressions, s'il y a lieu"),
    ],
    "Acquisition de matériel informatique à prix solidaire": [
        _("un justificatif de ressources (avis d'imposition, attestation CAF…)"),
        _("une pièce d'identité"),
    ],
}


def what_to_bring(service: str) -> list:
    return [*WHAT_TO_BRING.get(service, []), *_COMMON]


def fiche_context(*, place, service: str) -> dict:
    """What the fiche d'orientation shows, on screen, as PDF and in its email."""
    from django.utils import timezone

    from . import hours

    return {
        "place": place,
        "service": service,
        "bring": what_to_bring(service) if service else [],
        "hours_status": hours.status(place.opening_hours),
        "week": hours.week(place.opening_hours),
        "printed_on": timezone.localdate(),
    }
