"""The fiche d'orientation: what a person should bring for each service of the standard (the
Hub's orientation guidance; the standard itself has no such field) and what the fiche shows."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import segno

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


def route_url(place) -> str:
    """OpenStreetMap's route planner to the place, when its position can be trusted."""
    if not place.has_reliable_position:
        return ""
    return f"https://www.openstreetmap.org/directions?to={place.latitude:f}%2C{place.longitude:f}"


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2) if url else ""


def fiche_context(*, place, service: str) -> dict:
    """What the fiche d'orientation shows, on screen, as PDF and in its email: a page that is
    pinned up or handed over, so the usual week's hours rather than « ouvert maintenant »,
    an address block and access notes rather than a map, and QR codes to the route and to
    the fiche online."""
    from . import hours, itinerance

    fiche_url = settings.SITE_URL + reverse("directory:place_detail", args=[place.pk])
    route = route_url(place)
    stops = itinerance.stop_rows(place)
    return {
        "place": place,
        "service": service,
        "bring": what_to_bring(service) if service else [],
        "usual_week": hours.usual_week(place.opening_hours),
        "stops": stops,
        "fiche_url": fiche_url,
        "route_url": "" if stops else route,
        "qr_fiche": _qr(fiche_url),
        "qr_route": "" if stops else _qr(route),
        "printed_on": timezone.localdate(),
    }
