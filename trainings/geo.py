"""Where is the commune or postcode a person typed? The only place the catalogue resolves
one: swap it for the directory's commune selector once that exists."""

import csv
import functools
import gzip
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "communes_geo.csv.gz"


@dataclass(frozen=True)
class CommuneLocation:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    departement: str
    latitude: float
    longitude: float


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.replace("-", " ").replace("'", " ").split())


@functools.cache
def _communes() -> tuple[list[CommuneLocation], dict[str, list[CommuneLocation]]]:
    """Loaded once per process (about 35,000 rows, a few megabytes)."""
    communes, index = [], {}
    with gzip.open(DATA_FILE, "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            commune = CommuneLocation(
                insee=row["insee"],
                name=row["nom"],
                postcodes=tuple(row["codes_postaux"].split()),
                departement=row["departement"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            communes.append(commune)
            for key in (*commune.postcodes, _normalise(commune.name), commune.insee):
                index.setdefault(key, []).append(commune)
    return communes, index


def commune_locate(query: str) -> CommuneLocation | None:
    """The commune a postcode, a name or "name (postcode)" designates; for a postcode or a
    name shared by several communes, the first in INSEE order. None when unknown."""
    query = (query or "").strip()
    if not query:
        return None
    _all, index = _communes()
    if "(" in query and query.endswith(")"):
        name, postcode = query[:-1].split("(", 1)
        for commune in index.get(_normalise(name), []):
            if postcode.strip() in commune.postcodes:
                return commune
        query = name
    key = query if query.isdigit() else _normalise(query)
    matches = index.get(key)
    return matches[0] if matches else None
