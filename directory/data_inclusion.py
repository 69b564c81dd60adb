"""The directory in the data·inclusion schema v1 (gip-inclusion/data-inclusion-schema): one
structure per place and one service per service of the national standard it offers, so that
DORA, the emplois de l'inclusion and every tool fed by data·inclusion orient people to it.

The mapping is ours, made value by value from both published vocabularies (the national
standard v1.0.2 and data·inclusion's `schemas/v1` of v1.0.8, the file the tests validate
against); a value with no counterpart is left out, never invented. As in `standard_json`,
absent fields are left out of a row (the schema allows null or nothing) and `public` withholds
the phone and e-mail that often designate a person."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import standard, standard_json

SOURCE = "maillage"

# Service of the national standard → data·inclusion thématiques (the `numerique--…` one first).
THEMATIQUES = {
    "Aide aux démarches administratives": (
        "numerique--acceder-a-des-services-en-ligne",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ),
    "Maîtrise des outils numériques du quotidien": (
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    "Insertion professionnelle via le numérique": (
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
    ),
    "Utilisation sécurisée du numérique": ("numerique--maitriser-les-fondamentaux-du-numerique",),
    "Parentalité et éducation avec le numérique": (
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "famille--soutien-a-la-parentalite-et-a-leducation",
    ),
    "Loisirs et créations numériques": (
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "remobilisation--activites-sportives-et-culturelles",
    ),
    "Compréhension du monde numérique": ("numerique--maitriser-les-fondamentaux-du-numerique",),
    "Accès internet et matériel informatique": ("numerique--acceder-a-une-connexion-internet",),
    "Acquisition de matériel informatique à prix solidaire": ("numerique--acquerir-un-equipement",),
}
# Services that lend or sell something rather than accompany a person.
MATERIAL_SERVICES = {
    "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
}
# Modalité d'accès → (who can mobilise the service, how).
MOBILISATION = {
    "Se présenter": ("usagers", "se-presenter"),
    "Téléphoner": ("usagers", "telephoner"),
    "Contacter par mail": ("usagers", "envoyer-un-courriel"),
    "Prendre un RDV en ligne": ("usagers", "utiliser-lien-mobilisation"),
    "Envoyer un mail avec une fiche de prescription": ("professionnels", "envoyer-un-courriel"),
}
NO_PUBLIC = "Ce lieu n'accueille pas de public"
REMOTE = "À distance"
# Dispositifs nationaux → data·inclusion's réseaux porteurs (those with a counterpart).
RESEAUX_PORTEURS = {
    "Aidants Connect": "aidants-connect",
    "Conseillers numériques": "conseillers-numeriques",
    "Emmaüs Connect": "emmaus",
    "France Services": "france-service",
    "Grande école du numérique": "grandes-ecoles-du-numerique",
    "La Croix Rouge": "croix-rouge",
    "Point d'accès numérique CAF": "caf",
    "Relais numérique (Emmaüs Connect)": "emmaus",
}
# Data·inclusion lists `publics` as eligibility (« tous-publics » alone, or restrictions); the
# national standard's publics are those a place *also* addresses specifically, so they go to
# `publics_precisions` and the service stays open to all.
HANDICAPS = {"Surdité", "Handicaps moteurs", "Handicaps mentaux", "Déficience visuelle"}


def structure_id(place) -> str:
    return f"{SOURCE}--{place.identifier}"


def _date_maj(place) -> str:
    """The source's date, or the day of the last change; never before 2000 nor in the future
    (both refused by data·inclusion)."""
    today = datetime.date.today()
    date = place.source_updated_on or place.updated_at.date()
    if date < datetime.date(2000, 1, 1) or date > today:
        date = place.updated_at.date() if place.updated_at.date() <= today else today
    return date.isoformat()


def _name(value: str, fallback: str) -> str:
    """3 to 150 characters, not ending with a full stop (data·inclusion's rule for a name)."""
    value = " ".join(value.split()).rstrip(".").strip()
    if len(value) < 3:
        value = f"{value} {fallback}".strip()
    return value[:150].rstrip(".").strip()


def _description(place) -> str:
    text = "\n\n".join(part for part in (place.summary, place.description) if part.strip())
    return text.strip()[:10000]


def _fiche_url(place) -> str:
    return settings.SITE_URL + reverse("directory:place_detail", args=[place.pk])


def _location(place) -> dict:
    row = {
        "commune": place.commune,
        "code_postal": place.postcode,
        "code_insee": place.insee_code,
        "adresse": place.address,
        "complement_adresse": place.address_complement,
    }
    if place.latitude is not None and place.longitude is not None:
        row["latitude"] = place.latitude
        row["longitude"] = place.longitude
    return row


def _contact(place, *, public: bool) -> dict:
    if public:
        return {}
    emails = [email for email in place.emails if standard_json.email_is_valid(email)]
    return {"telephone": place.phone, "courriel": emails[0] if emails else ""}


def _without_empty(row: dict) -> dict:
    return {key: value for key, value in row.items() if value not in ("", None, [])}


def structure_row(place, *, public: bool) -> dict:
    """One place as a data·inclusion structure."""
    websites = [standard_json.url(site) for site in place.websites]
    pivot = place.pivot if len(place.pivot) == 14 and place.pivot.isdigit() else ""
    description = _description(place)
    row = {
        "id": structure_id(place),
        "source": SOURCE,
        "nom": _name(place.name, place.commune),
        "date_maj": _date_maj(place),
        "siret": pivot,
        **_location(place),
        **_contact(place, public=public),
        "site_web": next((site for site in websites if site), ""),
        "description": description if len(description) >= 5 else "",
        "horaires_accueil": place.opening_hours if place.opening_hours_valid else "",
        "accessibilite_lieu": standard_json.url(place.accessibility_url) or "",
        "lien_source": _fiche_url(place),
        "reseaux_porteurs": sorted(
            {
                RESEAUX_PORTEURS[value]
                for value in place.national_schemes
                if value in RESEAUX_PORTEURS
            }
        ),
    }
    return _without_empty(row)


def _mobilisation(place) -> tuple[list[str], list[str]]:
    who, how = [], []
    for mode in place.access_modes:
        if mode in MOBILISATION:
            person, way = MOBILISATION[mode]
            if way == "utiliser-lien-mobilisation" and not place.appointment_url:
                continue
            who.append(person)
            how.append(way)
    if NO_PUBLIC in place.access_modes:
        who = [person for person in who if person == "professionnels"] or ["professionnels"]
    return list(dict.fromkeys(who)), list(dict.fromkeys(how))


def _modes_accueil(place) -> list[str]:
    modes = []
    if NO_PUBLIC not in place.access_modes and (
        not place.support_modes or any(mode != REMOTE for mode in place.support_modes)
    ):
        modes.append("en-presentiel")
    if REMOTE in place.support_modes:
        modes.append("a-distance")
    return modes


def _fees(place) -> tuple[str, str]:
    fees = set(place.fees)
    if "Payant" in fees:
        return "payant", ""
    if "Gratuit sous condition" in fees:
        return "gratuit", _("Gratuit sous condition")
    if standard.FREE_OF_CHARGE in fees:
        return "gratuit", ""
    return "", ""


def _publics_precisions(place) -> str:
    specific = [*place.publics, *place.specific_support]
    if not specific:
        return ""
    return _("Accueil adapté : %(publics)s") % {"publics": ", ".join(specific)}


def service_rows(place, *, public: bool) -> list[dict]:
    """The place's services of the national standard, each a data·inclusion service."""
    who, how = _mobilisation(place)
    fees, fees_details = _fees(place)
    description = _description(place)
    rows = []
    for service in place.services:
        if service not in THEMATIQUES:
            continue
        row = {
            "id": f"{structure_id(place)}--{slugify(service)}",
            "structure_id": structure_id(place),
            "source": SOURCE,
            "nom": _name(service, place.name),
            "description": description
            if len(description) >= 5
            else _("%(service)s à %(place)s (%(commune)s).")
            % {"service": service, "place": place.name, "commune": place.commune},
            "date_maj": _date_maj(place),
            "type": "aide-materielle" if service in MATERIAL_SERVICES else "accompagnement",
            "thematiques": list(THEMATIQUES[service]),
            "frais": fees,
            "frais_precisions": fees_details,
            "publics": ["tous-publics"],
            "publics_precisions": _publics_precisions(place),
            "mobilisable_par": who,
            "modes_mobilisation": how,
            "lien_mobilisation": standard_json.url(place.appointment_url) or ""
            if "utiliser-lien-mobilisation" in how
            else "",
            "modes_accueil": _modes_accueil(place),
            **_location(place),
            **_contact(place, public=public),
            "horaires_accueil": place.opening_hours if place.opening_hours_valid else "",
            "lien_source": _fiche_url(place),
        }
        rows.append(_without_empty(row))
    return rows


def export(places, *, public: bool) -> dict[str, list[dict]]:
    """`{"structures": [...], "services": [...]}` for the places given, in their order."""
    structures, services = [], []
    for place in places:
        structures.append(structure_row(place, public=public))
        services.extend(service_rows(place, public=public))
    return {"structures": structures, "services": services}
