"""The one JSON shape of a place wherever the directory publishes the standard (`export_lieux
--format json`, the directory's download, `/donnees-ouvertes/lieux.json`).

It is the standard's own row: multi-valued fields as `|`-joined strings, absent fields left out
(no "", null or []), latitude and longitude as numbers. Every value is one that both the
standard's table schema (frictionless) and its reference library
(`@gouvfr-anct/lieux-de-mediation-numerique`, `fromSchemaLieuDeMediationNumerique`) accept:
a value either of them would refuse is left out of the row (or moved, see `_labels`), never
published broken. The test suite runs both on every exported row."""

import re
from urllib.parse import quote, urlsplit

from . import standard, standard_io

# Typologies of structures the standard points to (data·inclusion's list, as the reference
# library 2.3.0 enumerates it); a local type such as « MAIRIE » is not exported as a typology.
TYPOLOGIES = frozenset(
    [
        "ACI",
        "ACIPHC",
        "AFPA",
        "AI",
        "ASE",
        "ASSO",
        "ASSO_CHOMEUR",
        "Autre",
        "AVIP",
        "BIB",
        "CAARUD",
        "CADA",
        "CAF",
        "CAP_EMPLOI",
        "CAVA",
        "CC",
        "CCAS",
        "CCONS",
        "CD",
        "CDAS",
        "CFP",
        "CHRS",
        "CHU",
        "CIAS",
        "CIDFF",
        "CITMET",
        "CMP",
        "CMS",
        "CPAM",
        "CPH",
        "CS",
        "CSAPA",
        "CSC",
        "DEETS",
        "DEPT",
        "DIPLP",
        "E2C",
        "EA",
        "EATT",
        "EI",
        "EITI",
        "ENM",
        "EPCI",
        "EPI",
        "EPIDE",
        "EPN",
        "ES",
        "ESAT",
        "ESS",
        "ETTI",
        "EVS",
        "FABLAB",
        "FABRIQUE",
        "FAIS",
        "FT",
        "GEIQ",
        "HUDA",
        "LA_POSTE",
        "MDE",
        "MDH",
        "MDEF",
        "MDPH",
        "MDS",
        "MJC",
        "ML",
        "MQ",
        "MSA",
        "MSAP",
        "MUNI",
        "OACAS",
        "ODC",
        "OF",
        "OIL",
        "OPCS",
        "PAD",
        "PENSION",
        "PI",
        "PIJ_BIJ",
        "PIMMS",
        "PJJ",
        "PLIE",
        "PREF",
        "PREVENTION",
        "REG",
        "RELAIS_LECTURE",
        "RESSOURCERIE",
        "RFS",
        "RS_FJT",
        "SCP",
        "SPIP",
        "TIERS_LIEUX",
        "UDAF",
    ]
)
# The schema spells this label without a space before « ( », the reference library with one:
# no spelling passes both, so the label travels in `autres_formations_labels`.
_LABELS_WITHOUT_COMMON_SPELLING = {"Étapes numériques(La Poste)": "Étapes numériques (La Poste)"}
PLACEHOLDER_PIVOT = standard.PLACEHOLDER_SIRET
NUMBERS = ("latitude", "longitude")

# What the reference library accepts, written from its documented rules (facts, not its code).
_PHONE = re.compile(r"\+(?:33|262|269|508|590|594|596|681|687|689)(?:[1-9]\d{8}|\d{6})")
_EMAIL = re.compile(
    r"[A-Za-z0-9_][A-Za-z0-9.!#$%&'*+=?^_`{}~\\-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9])+"
)
_URL = re.compile(
    r"[A-Za-z]{3,9}:(?://)?[A-Za-z0-9.-]+(?:(?:/[+~,%@/.\w-]*)?\??[-+=&;%@.\w]*#?[.!/\\\w]*)?",
    re.ASCII,
)
_RNA = re.compile(r"W[A-Za-z0-9]{9}")
_COMMUNE_OTHER = re.compile(r"[^A-Za-z0-9À-ÖØ-öø-ÿŒœ-Ÿ\-'’\s]")
_ADDRESS_OTHER = re.compile(r"[^A-Za-z0-9À-ÖØ-öø-ÿŒœ-Ÿ\-,()°.&:+–|;'’/\s]")
_QUOTES = re.compile(r"[\"«»“”]")


def _text(pattern: re.Pattern, value: str) -> str:
    """Quotes become apostrophes, any other character the library refuses a space."""
    return " ".join(pattern.sub(" ", _QUOTES.sub("'", value)).split())


def url(value: str) -> str | None:
    """`value` percent-encoded where the library's stricter URL rule needs it, or None."""
    try:
        parts = urlsplit(value.strip())
        host = (parts.hostname or "").encode("idna").decode("ascii")
        port = parts.port
    except (ValueError, UnicodeError):
        return None
    if not parts.scheme or not host or port is not None or parts.username:
        return None
    text = f"{parts.scheme}://{host}{quote(parts.path, safe='/+~,%@.-_')}"
    if parts.query:
        text += "?" + quote(parts.query, safe="-+=&;%@._")
    if parts.fragment and re.fullmatch(r"[.!/\\\w]*", parts.fragment, re.ASCII):
        text += "#" + parts.fragment
    return text if _URL.fullmatch(text) else None


def email_is_valid(value: str) -> bool:
    """An address the reference library accepts (a stricter rule than Django's)."""
    return bool(_EMAIL.fullmatch(value))


def _join(values) -> str:
    return standard.SEPARATOR.join(dict.fromkeys(value for value in values if value))


def _labels(place) -> tuple[list[str], list[str]]:
    labels, others = [], list(place.other_labels)
    allowed = standard.vocabularies()[standard.FORMATIONS_LABELS]
    for label in place.labels:
        if label in _LABELS_WITHOUT_COMMON_SPELLING:
            others.append(_LABELS_WITHOUT_COMMON_SPELLING[label])
        elif label in allowed:
            labels.append(label)
    return labels, others


def place_row(place, *, public: bool) -> dict:
    """One place as the standard's JSON row. `public` leaves out the contact columns
    (`standard_io.WITHHELD_FROM_PUBLIC`) and hours that are not in the OSM syntax."""
    flat = standard_io.place_to_row(place)
    pivot = flat["pivot"]
    if len(pivot) != 14 and not _RNA.fullmatch(pivot):
        pivot = PLACEHOLDER_PIVOT  # a SIREN: the library wants a SIRET or an RNA number
    labels, others = _labels(place)
    row = {
        **flat,
        "pivot": pivot,
        "commune": _text(_COMMUNE_OTHER, flat["commune"]),
        "adresse": _text(_ADDRESS_OTHER, flat["adresse"]),
        "complement_adresse": " ".join(flat["complement_adresse"].split()),
        "typologie": _join(value for value in place.typologies if value in TYPOLOGIES),
        "telephone": place.phone if _PHONE.fullmatch(place.phone or "") else "",
        "courriels": _join(email for email in place.emails if _EMAIL.fullmatch(email)),
        "site_web": _join(url(site) or "" for site in place.websites),
        "fiche_acces_libre": url(place.accessibility_url) or "",
        "prise_rdv": url(place.appointment_url) or "",
        "formations_labels": _join(labels),
        "autres_formations_labels": _join(others),
    }
    if public:
        for name in standard_io.WITHHELD_FROM_PUBLIC:
            row[name] = ""
        if not place.opening_hours_valid:
            row["horaires"] = ""
    vocabularies = standard.vocabularies()
    for name in vocabularies:
        if name != standard.FORMATIONS_LABELS:
            kept = [value for value in flat[name].split("|") if value in vocabularies[name]]
            row[name] = _join(kept)
    result = {}
    for name in standard.field_names():
        value = row.get(name, "")
        if name in NUMBERS:
            if place.latitude is not None and place.longitude is not None:
                result[name] = getattr(place, name)
        elif value:
            result[name] = value
    return result


def rows(places, *, public: bool) -> list[dict]:
    """Every place that has the standard's required values (a name, an address and a commune
    the library can read), in the order given."""
    exported = []
    for place in places:
        row = place_row(place, public=public)
        if all(row.get(name) for name in ("id", "nom", "adresse", "commune", "code_postal")):
            exported.append(row)
    return exported
