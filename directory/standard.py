"""The national standard of lieux de médiation numérique (v1.0.2), read from its table schema.

The field list, the required fields and every controlled vocabulary come from `data/schema.json`
(the `pattern` of each multi-valued field), so that a new version of the standard is a file
swap, not a code change."""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "schema.json"
SEPARATOR = "|"
PLACEHOLDER_SIRET = "00000000000000"

# A vocabulary pattern looks like `(?:(?:^|\|)(A|B|C \(x\)))+$`.
_VOCABULARY_PATTERN = re.compile(r"^\(\?:\(\?:\^\|\\\|\)\((?P<choices>.*)\)\)\+\$$")


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def field_names() -> list[str]:
    return [field["name"] for field in schema()["fields"]]


def required_fields() -> list[str]:
    return [
        field["name"]
        for field in schema()["fields"]
        if field.get("constraints", {}).get("required")
    ]


def _split_alternatives(choices: str) -> list[str]:
    values, current, escaped = [], "", False
    for char in choices:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            values.append(current)
            current = ""
        else:
            current += char
    values.append(current)
    return values


@cache
def vocabularies() -> dict[str, tuple[str, ...]]:
    """Each controlled field of the standard and its allowed values, in the schema's order."""
    result = {}
    for field in schema()["fields"]:
        match = _VOCABULARY_PATTERN.match(field.get("constraints", {}).get("pattern", ""))
        if match:
            result[field["name"]] = tuple(_split_alternatives(match["choices"]))
    return result


@cache
def pattern(name: str) -> re.Pattern | None:
    raw = next(f for f in schema()["fields"] if f["name"] == name).get("constraints", {})
    return re.compile(raw["pattern"]) if "pattern" in raw else None


def normalise_key(value: str) -> str:
    """Compare vocabulary values the way people type them: case, accents of capitals,
    curly apostrophes and spaces do not matter."""
    value = value.replace("’", "'").replace("\u00a0", " ")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(char for char in value if not unicodedata.combining(char))
    return " ".join(value.casefold().split())


@cache
def _lookup(name: str) -> dict[str, str]:
    return {normalise_key(value): value for value in vocabularies()[name]}


def canonical(name: str, value: str) -> str | None:
    """The standard's spelling of `value` in field `name`, or None if it is not in it."""
    return _lookup(name).get(normalise_key(value))


def choices(name: str) -> list[tuple[str, str]]:
    return [(value, value) for value in vocabularies()[name]]


SERVICES = "services"
PUBLICS = "publics_specifiquement_adresses"
PRISE_EN_CHARGE = "prise_en_charge_specifique"
FRAIS = "frais_a_charge"
DISPOSITIFS = "dispositif_programmes_nationaux"
FORMATIONS_LABELS = "formations_labels"
MODALITES_ACCES = "modalites_acces"
MODALITES_ACCOMPAGNEMENT = "modalites_accompagnement"
ITINERANCE = "itinerance"
FREE_OF_CHARGE = "Gratuit"
