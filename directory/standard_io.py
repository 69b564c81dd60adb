"""Rows of the national standard: validation of one row with French reasons, and the reverse
mapping for exports. Pure functions, no database: `standard_files` reads whole files and
`services.places_import` does the bulk writes."""

import datetime
import functools
import math
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import opening_hours

from core.departements import departement_of
from core.phones import phone_normalise

from . import legacy, standard

# Standard column → Place attribute.
FIELD_MAP = {
    "id": "identifier",
    "pivot": "pivot",
    "nom": "name",
    "commune": "commune",
    "code_postal": "postcode",
    "code_insee": "insee_code",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "latitude": "latitude",
    "longitude": "longitude",
    "typologie": "typologies",
    "telephone": "phone",
    "courriels": "emails",
    "site_web": "websites",
    "horaires": "opening_hours",
    "presentation_resume": "summary",
    "presentation_detail": "description",
    "source": "source",
    "itinerance": "itinerance",
    "structure_parente": "parent_structure",
    "date_maj": "source_updated_on",
    "services": "services",
    "publics_specifiquement_adresses": "publics",
    "prise_en_charge_specifique": "specific_support",
    "frais_a_charge": "fees",
    "dispositif_programmes_nationaux": "national_schemes",
    "formations_labels": "labels",
    "autres_formations_labels": "other_labels",
    "modalites_acces": "access_modes",
    "modalites_accompagnement": "support_modes",
    "fiche_acces_libre": "accessibility_url",
    "prise_rdv": "appointment_url",
}
MULTI_VALUED = {
    "typologie",
    "courriels",
    "site_web",
    "autres_formations_labels",
    *standard.vocabularies(),
}
# Place attributes an import writes (everything the standard carries, plus derived ones).
IMPORTED_ATTRIBUTES = [*FIELD_MAP.values(), "departement", "opening_hours_valid", "review_flags"]

# Spreadsheets and old exports write « no date » as the Unix epoch (in UTC or just before it).
EPOCH_DATES = {datetime.date(1970, 1, 1), datetime.date(1969, 12, 31)}
# A place's phone and e-mail are often a mediator's own: the directory shows them to orient
# a person, the public downloads and the open API do not publish them (both are optional in
# the standard). `export_lieux`, for the Hub, keeps them.
WITHHELD_FROM_PUBLIC = ("telephone", "courriels")
_SPLIT = re.compile(r"\s*[|;]\s*")
_POSTCODE = re.compile(r"^\d{5}$")
_FRENCH_DATE = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")


def parse_date(raw: str) -> datetime.date | None:
    """ISO 8601 (a date or a date-time), or the French « 31/01/2024 » of spreadsheets."""
    match = _FRENCH_DATE.fullmatch(raw.strip())
    try:
        if match:
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        return datetime.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def split_values(raw: str) -> list[str]:
    """Multi-valued cells: `|` in v1, `;` in v0.1 files and in the standard's own README."""
    return [value for value in _SPLIT.split(raw.strip()) if value] if raw else []


def normalise_phone(raw: str) -> str | None:
    return phone_normalise(raw)


@functools.lru_cache(maxsize=8192)
def check_opening_hours(raw: str) -> bool:
    """Remembered: a file repeats the same few opening hours on many rows."""
    try:
        opening_hours.OpeningHours(raw)
    except (opening_hours.ParserError, ValueError):
        return False
    return True


# Translated only when a row lacks one (gettext on every row cost a tenth of an import).
_REQUIRED = (
    ("id", gettext_lazy("identifiant")),
    ("nom", gettext_lazy("nom")),
    ("adresse", gettext_lazy("adresse")),
    ("commune", gettext_lazy("commune")),
    ("code_postal", gettext_lazy("code postal")),
)


def clean_row(record: dict[str, str]) -> tuple[dict | None, list[str], list[str]]:
    """Turn one raw row into Place attributes. Returns (values or None, errors, warnings):
    errors reject the row, warnings keep it (the value is dropped or flagged for review)."""
    errors: list[str] = []
    warnings: list[str] = []
    values: dict = {}
    flags: list[str] = []

    stripped = {name: value.strip() for name, value in record.items()}

    def text(name):
        return stripped.get(name, "")

    for name, label in _REQUIRED:
        if not text(name):
            errors.append(_("%(field)s manquant") % {"field": str(label).capitalize()})
    for name in ("id", "nom", "adresse", "commune", "complement_adresse", "source"):
        values[FIELD_MAP[name]] = text(name)[:255]
    values["parent_structure"] = text("structure_parente")[:255]

    postcode = text("code_postal")
    if postcode and len(postcode) == 4 and postcode.isdigit():
        postcode = "0" + postcode  # spreadsheets drop the leading zero
    if postcode and not _POSTCODE.fullmatch(postcode):
        errors.append(_("Code postal invalide : « %(value)s »") % {"value": postcode})
    values["postcode"] = postcode

    insee = text("code_insee").upper()
    if insee and len(insee) == 4 and insee.isdigit():
        insee = "0" + insee
    if insee and not standard.pattern("code_insee").fullmatch(insee):
        errors.append(_("Code INSEE invalide : « %(value)s »") % {"value": insee})
    values["insee_code"] = insee
    values["departement"] = departement_of(insee or postcode)

    pivot = text("pivot").replace(" ", "")
    if not pivot or set(pivot) == {"0"}:
        pivot = ""  # the standard's own placeholder: « no SIRET », nothing to review
    elif not standard.pattern("pivot").fullmatch(pivot):
        errors.append(_("SIRET (pivot) invalide : « %(value)s »") % {"value": pivot})
    values["pivot"] = pivot

    for name in ("latitude", "longitude"):
        raw = text(name).replace(",", ".")
        limit = 90 if name == "latitude" else 180
        if not raw:
            values[name] = None
            continue
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or abs(number) > limit:
            errors.append(
                _("Coordonnées invalides (%(field)s : « %(value)s »)")
                % {"field": name, "value": raw}
            )
            number = None
        values[name] = number
    if (values["latitude"] is None) != (values["longitude"] is None) and not errors:
        errors.append(_("Coordonnées incomplètes : latitude et longitude vont ensemble"))

    # An empty or epoch date says « unknown »: the place is kept, its freshness is unknown.
    raw_date = text("date_maj")
    date = parse_date(raw_date) if raw_date else None
    if raw_date and date is None:
        errors.append(_("Date de mise à jour invalide : « %(value)s »") % {"value": raw_date})
    elif not raw_date:
        warnings.append(_("Date de mise à jour absente : enregistrée comme inconnue"))
    elif date in EPOCH_DATES:
        warnings.append(
            _("Date de mise à jour « %(value)s » : un zéro de tableur, enregistrée comme inconnue")
            % {"value": raw_date}
        )
        date = None
    values["source_updated_on"] = date

    hours = text("horaires")
    values["opening_hours"] = hours
    values["opening_hours_valid"] = not hours or check_opening_hours(hours)
    if not values["opening_hours_valid"]:
        flags.append("horaires_illisibles")
        warnings.append(
            _("Horaires illisibles, conservés tels quels : « %(value)s »") % {"value": hours}
        )

    vocabularies, vocabulary_warnings = legacy.read_vocabularies(
        {name: split_values(text(name)) for name in standard.vocabularies()}
    )
    warnings += vocabulary_warnings
    for name in standard.vocabularies():
        values[FIELD_MAP[name]] = vocabularies[name]
    values["typologies"] = list(
        dict.fromkeys(legacy.typology(value) for value in split_values(text("typologie")))
    )
    values["other_labels"] = list(
        dict.fromkeys(
            [*split_values(text("autres_formations_labels")), *vocabularies[legacy.AUTRES_LABELS]]
        )
    )
    values["emails"] = [value for value in split_values(text("courriels")) if "@" in value]
    values["websites"] = split_values(text("site_web"))

    phone = text("telephone")
    values["phone"] = ""
    if phone:
        normalised = normalise_phone(phone)
        if normalised:
            values["phone"] = normalised
        else:
            warnings.append(_("Téléphone invalide ignoré : « %(value)s »") % {"value": phone})

    summary = text("presentation_resume")
    if len(summary) > 280:
        warnings.append(_("Présentation résumée tronquée à 280 caractères"))
        summary = summary[:279] + "…"
    values["summary"] = summary
    values["description"] = text("presentation_detail")
    for name in ("fiche_acces_libre", "prise_rdv"):
        url = text(name)
        if url and not url.startswith(("http://", "https://")):
            warnings.append(
                _("Adresse web ignorée (%(field)s) : « %(value)s »") % {"field": name, "value": url}
            )
            url = ""
        values[FIELD_MAP[name]] = url[:500]
    values["review_flags"] = flags
    return (None if errors else values), errors, warnings


def place_to_row(place) -> dict[str, str]:
    """One Place as a row of the standard (strings, multi-values joined with `|`)."""
    row = {}
    for name, attribute in FIELD_MAP.items():
        value = getattr(place, attribute)
        if name in MULTI_VALUED:
            value = standard.SEPARATOR.join(value)
        elif value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        row[name] = str(value)
    row["pivot"] = row["pivot"] or standard.PLACEHOLDER_SIRET
    # The standard requires a date: a place entered by hand gets the day of its last change.
    row["date_maj"] = row["date_maj"] or place.updated_at.date().isoformat()
    return row
