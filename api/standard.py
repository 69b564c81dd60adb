"""The directory in the national standard of lieux de médiation numérique
(schema.data.gouv.fr LaMednum/standard-mediation-num, /work/shared/data/… schema.json).

PLACE_FIELDS is the one mapping from a directory.Place to the standard's columns: the API
schema (api.endpoints.places), the JSON and CSV downloads are all generated from it. To publish
another column of the standard, add one StandardField here."""

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from ninja import Schema
from pydantic import Field, create_model

# The standard requires a pivot; its documented value when the SIRET is unknown.
UNKNOWN_PIVOT = "00000000000000"


@dataclasses.dataclass(frozen=True)
class StandardField:
    name: str
    type: Any
    read: Callable[[Any], Any]
    description: str
    required: bool = False


def _date_maj(place) -> datetime.date:
    return timezone.localdate(place.updated_at)


def _pivot(place) -> str:
    return (place.organisation.siret if place.organisation else "") or UNKNOWN_PIVOT


PLACE_FIELDS: tuple[StandardField, ...] = (
    StandardField("id", str, lambda p: p.identifier, "Identifiant du lieu.", True),
    StandardField("pivot", str, _pivot, "SIRET de la structure (14 zéros si inconnu).", True),
    StandardField("nom", str, lambda p: p.name, "Nom du lieu.", True),
    StandardField("commune", str, lambda p: p.commune, "Commune.", True),
    StandardField("code_postal", str, lambda p: p.postcode, "Code postal.", True),
    StandardField("code_insee", str | None, lambda p: p.insee_code or None, "Code INSEE."),
    StandardField("adresse", str, lambda p: p.address, "Numéro et voie.", True),
    StandardField(
        "complement_adresse",
        str | None,
        lambda p: p.address_complement or None,
        "Complément d'adresse.",
    ),
    StandardField("latitude", float | None, lambda p: p.latitude, "Latitude (WGS 84)."),
    StandardField("longitude", float | None, lambda p: p.longitude, "Longitude (WGS 84)."),
    StandardField(
        "structure_parente",
        str | None,
        lambda p: p.organisation.name if p.organisation else None,
        "Structure qui porte le lieu.",
    ),
    StandardField("date_maj", datetime.date, _date_maj, "Date de mise à jour.", True),
)

# Every column of the standard, in its order (schema.json "fields"): the CSV header.
STANDARD_COLUMNS = (
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
)
# The columns the directory does not hold yet.
PLACE_MISSING_COLUMNS = tuple(
    name for name in STANDARD_COLUMNS if name not in {field.name for field in PLACE_FIELDS}
)


def place_to_standard(place) -> dict:
    """One Place as a row of the standard (only the columns the directory holds)."""
    return {field.name: field.read(place) for field in PLACE_FIELDS}


def _schema_field(field: StandardField):
    default = ... if field.required else None
    return (field.type, Field(default, description=field.description))


PlaceStandardOut = create_model(
    "Lieu",
    __base__=Schema,
    __doc__="Un lieu de médiation numérique, aux noms de colonnes du standard national.",
    **{field.name: _schema_field(field) for field in PLACE_FIELDS},
    distance_km=(
        float | None,
        Field(None, description="Distance au point demandé (recherche par rayon)."),
    ),
)
