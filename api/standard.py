"""A place in the national standard of lieux de médiation numérique, as the API and the open
data downloads publish it.

The mapping from a directory.Place to the standard's columns is the directory's own (the code of
`export_lieux` and of the import's round trip, read through directory.selectors): this module
only gives its strings their JSON types (lists, numbers, dates, null) and withholds the contact
columns, so that the API, the downloads and the export cannot drift apart."""

import datetime

from ninja import Schema
from pydantic import Field, create_model

from directory import selectors as directory_selectors
from directory.standard_io import WITHHELD_FROM_PUBLIC

# The standard's own separator of multi-valued cells (directory.standard.SEPARATOR).
SEPARATOR = "|"
WITHHELD_COLUMNS = WITHHELD_FROM_PUBLIC
NUMBER_COLUMNS = ("latitude", "longitude")
DATE_COLUMNS = ("date_maj",)

FIELDS = directory_selectors.place_standard_fields()
# Every column of the standard, in its order (schema.json "fields"): the CSV header.
STANDARD_COLUMNS = tuple(field["name"] for field in FIELDS)
PUBLISHED_FIELDS = tuple(field for field in FIELDS if field["name"] not in WITHHELD_COLUMNS)
PUBLISHED_COLUMNS = tuple(field["name"] for field in PUBLISHED_FIELDS)
MULTI_VALUED = frozenset(field["name"] for field in FIELDS if field["multi_valued"])


def _typed(name: str, value: str):
    if name in MULTI_VALUED:
        return value.split(SEPARATOR) if value else []
    if not value:
        return None
    if name in NUMBER_COLUMNS:
        return float(value)
    if name in DATE_COLUMNS:
        return datetime.date.fromisoformat(value)
    return value


def place_to_standard(place) -> dict:
    """One place in the standard's field names and JSON types (contact columns withheld)."""
    row = directory_selectors.place_standard_row(place=place)
    return {name: _typed(name, row[name]) for name in PUBLISHED_COLUMNS}


def _schema_field(field: dict):
    name = field["name"]
    if name in MULTI_VALUED:
        return (list[str], Field(description=field["description"]))
    if name in NUMBER_COLUMNS:
        kind = float
    elif name in DATE_COLUMNS:
        kind = datetime.date
    else:
        kind = str
    if field["required"] and kind is str:
        return (str, Field(description=field["description"]))
    # A required date may still be unknown for a place typed in by hand.
    return (kind | None, Field(None, description=field["description"]))


PlaceStandardOut = create_model(
    "Lieu",
    __base__=Schema,
    __doc__=(
        "Un lieu de médiation numérique, aux noms de champs du standard national (les listes "
        "sont les valeurs séparées par | dans les fichiers ; téléphone et courriels ne sont "
        "pas publiés)."
    ),
    **{field["name"]: _schema_field(field) for field in PUBLISHED_FIELDS},
    distance_km=(
        float | None,
        Field(None, description="Distance au point demandé (recherche par rayon)."),
    ),
)
