"""A quality score per place, out of 100, with what to fix: the staff and the place's manager
see it on the fiche, and staff get the list of stale fiches per département.

Freshness counts as data·inclusion counts it: full under 6 months, nothing after 2 years,
linear in between; an unknown date counts nothing."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Place

FRESH_DAYS = 182
STALE_DAYS = 730
WEIGHTS = {"freshness": 40, "contact": 15, "hours": 15, "services": 15, "position": 15}
_POSITION_FLAGS = {
    Place.ReviewFlag.FAR_COORDINATES,
    Place.ReviewFlag.POSTCODE_OTHER_COMMUNE,
    Place.ReviewFlag.INSEE_OTHER_COMMUNE,
}


def last_update(place: Place) -> datetime.date | None:
    """The date the information was last known true: the source's or a hand edit's."""
    dates = [place.source_updated_on]
    if place.hub_edited_at:
        dates.append(timezone.localdate(place.hub_edited_at))
    known = [date for date in dates if date]
    return max(known) if known else None


def freshness(updated: datetime.date | None, today: datetime.date) -> float:
    """1 under 6 months, 0 after 2 years or when unknown, linear in between."""
    if updated is None:
        return 0.0
    age = (today - updated).days
    if age <= FRESH_DAYS:
        return 1.0
    return max(0.0, (STALE_DAYS - age) / (STALE_DAYS - FRESH_DAYS))


def place_score(place: Place, today: datetime.date | None = None) -> dict:
    """{"score": 0–100, "fixes": [what to fix, in French]}."""
    today = today or timezone.localdate()
    fresh = freshness(last_update(place), today)
    checks = {
        "contact": bool(place.phone or place.emails or place.websites),
        "hours": bool(place.opening_hours) and place.opening_hours_valid,
        "services": bool(place.services),
        "position": place.latitude is not None
        and not _POSITION_FLAGS.intersection(place.review_flags),
    }
    score = WEIGHTS["freshness"] * fresh + sum(
        WEIGHTS[name] for name, passed in checks.items() if passed
    )
    fixes = []
    if fresh < 1:
        fixes.append(
            _(
                "Confirmer que la fiche est à jour (dernière mise à jour il y a plus de 6 mois ou inconnue)"
            )
        )
    messages = {
        "contact": _("Ajouter un téléphone, un courriel ou un site web"),
        "hours": _(
            "Saisir les horaires dans un format lisible (par exemple « Mo-Fr 09:00-12:00 »)"
        ),
        "services": _("Indiquer les services proposés"),
        "position": _("Vérifier l'adresse et la position sur la carte"),
    }
    fixes += [messages[name] for name, passed in checks.items() if not passed]
    return {"score": round(score), "fixes": fixes}


def stale_places(*, departement: str, today: datetime.date | None = None) -> list[Place]:
    """The département's fiches not updated for 2 years or more (or never dated), oldest
    first, each with its `last_update` and `quality`."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=STALE_DAYS)
    rows = Place.objects.filter(
        Q(source_updated_on__isnull=True) | Q(source_updated_on__lte=cutoff),
        Q(hub_edited_at__isnull=True) | Q(hub_edited_at__date__lte=cutoff),
        departement=departement,
    )
    places = []
    for place in rows:
        place.last_update = last_update(place)
        place.quality = place_score(place, today)
        places.append(place)
    return sorted(places, key=lambda place: (place.last_update or datetime.date.min, place.name))
