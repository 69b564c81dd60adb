"""Possible duplicates across sources: the same place under two fiches, found by position and
by normalised names and addresses (« France services Effervescentre » and « Effervescentre »
at the same spot), not only by SIRET or exact name.

Places are compared only with their neighbours (the same or an adjacent ~200 m cell, or the
same address in the same commune), and an import only reads the places of its communes, so
that checking it never loads or compares the whole directory."""

import math
import re
import unicodedata
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from . import geo
from .consistency import name_key
from .models import Place

NEAR_KM = 0.05
SAME_SIRET_KM = 0.2
NAME_THRESHOLD = 0.6
# Located places are compared only within SAME_SIRET_KM (the widest distance a pair can be
# found at; farther ones only by the same name and address, grouped by commune): cells at
# least that wide — 0.002° of latitude is 222 m; 0.0035° of longitude is 245 m up to 51° N
# (Dunkirk), wider overseas — so that two places that close are in the same or adjacent cells.
CELL_LATITUDE = 0.002
CELL_LONGITUDE = 0.0035
FIELDS = (
    "identifier",
    "name",
    "address",
    "postcode",
    "commune",
    "insee_code",
    "pivot",
    "latitude",
    "longitude",
    "source",
)
# Words that say what kind of place it is, not which one.
_GENERIC = {
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sur",
    "france", "services", "service", "espace", "point", "maison", "numerique", "public",
}  # fmt: skip
_NUMBER = re.compile(r"^\d+[a-z]?$")
_STREET_WORDS = {"rue": "rue", "r": "rue", "av": "avenue", "bd": "boulevard", "pl": "place"}


def _words(text: str) -> list[str]:
    """Lower-case words without accents, numbers kept (« Espace 2 » is not « Espace 3 »)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return [word for word in re.split(r"[^a-z0-9]+", text) if word]


def name_tokens(name: str, commune: str = "") -> frozenset[str]:
    """The words that name this place: generic words and the commune's name left out."""
    commune_words = set(name_key(commune).split())
    return frozenset(word for word in _words(name) if word not in _GENERIC | commune_words)


def name_similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """1 when one name's distinctive words are all in the other, 0 when none are shared."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def address_key(address: str) -> str:
    words = [_STREET_WORDS.get(word, word) for word in _words(address)]
    return " ".join(words)


def _cell(row: dict) -> tuple[int, int] | None:
    if row["latitude"] is None or row["longitude"] is None:
        return None
    return (
        math.floor(row["latitude"] / CELL_LATITUDE),
        math.floor(row["longitude"] / CELL_LONGITUDE),
    )


# A cell and the half of its neighbours that come after it: each pair of cells once.
_FORWARD = ((0, 1), (1, -1), (1, 0), (1, 1))


def _candidates(rows: list[dict]):
    """Pairs worth comparing, each once: located places in the same or adjacent cells, and
    places with the same address in the same commune. Never all pairs."""
    cells: dict[tuple, list[int]] = defaultdict(list)
    addresses: dict[tuple, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        row["cell"] = _cell(row)
        if row["cell"] is not None:
            cells[row["cell"]].append(index)
        addresses[(row["insee_code"] or row["postcode"], row["address_key"])].append(index)
    for (x, y), members in cells.items():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                yield rows[first], rows[second]
        for dx, dy in _FORWARD:
            for second in cells.get((x + dx, y + dy), ()):
                for first in members:
                    yield rows[first], rows[second]
    for members in addresses.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                if not _adjacent(rows[first]["cell"], rows[second]["cell"]):
                    yield rows[first], rows[second]


def _adjacent(first: tuple | None, second: tuple | None) -> bool:
    """Both located in the same or adjacent cells: the pair was given by the cells already."""
    return (
        first is not None
        and second is not None
        and abs(first[0] - second[0]) <= 1
        and abs(first[1] - second[1]) <= 1
    )


def _tokens(row: dict) -> frozenset[str]:
    if "tokens" not in row:
        row["tokens"] = name_tokens(row["name"], row["commune"])
    return row["tokens"]


def _compare(first: dict, second: dict) -> tuple[float, str] | None:
    """(score 0–1, reason in French) when the two rows look like one place."""
    located = None not in (first["latitude"], second["latitude"])
    distance = (
        geo.distance_km(
            first["latitude"], first["longitude"], second["latitude"], second["longitude"]
        )
        if located
        else None
    )
    same_address = bool(first["address_key"]) and first["address_key"] == second["address_key"]
    if not same_address and (not located or distance > SAME_SIRET_KM):
        return None  # too far for any reason below
    names = name_similarity(_tokens(first), _tokens(second))
    if (
        first["pivot"]
        and first["pivot"] == second["pivot"]
        and first["source"] != second["source"]
        and located
        and distance <= SAME_SIRET_KM
    ):
        return 0.9 + 0.1 * names, _("même SIRET, à moins de 200 m")
    if located and distance <= NEAR_KM and (names >= NAME_THRESHOLD or same_address):
        parts = [_("à %(m)s m") % {"m": round(distance * 1000)}]
        if names >= NAME_THRESHOLD:
            parts.append(_("noms proches (%(percent)s %%)") % {"percent": round(100 * names)})
        if same_address:
            parts.append(_("même adresse"))
        reason = ", ".join(parts)
        return 0.5 * names + 0.3 * same_address + 0.2 * (1 - distance / NEAR_KM), reason
    if names == 1 and same_address:
        return 0.8, _("même nom et même adresse")
    return None


def find(*, incoming: dict[str, dict] | None = None) -> list[dict]:
    """Pairs of possible duplicates, best score first: {"first", "second", "reason", "score"}.
    With `incoming` (cleaned rows of a file, by identifier), only pairs involving one of them,
    and only the existing places of their communes or cells are read."""
    existing = Place.objects.values(*FIELDS)
    if incoming is not None:
        if not incoming:
            return []
        rows = list(incoming.values())
        insee = {row["insee_code"] for row in rows if row["insee_code"]}
        postcodes = {row["postcode"] for row in rows if row["postcode"]}
        existing = existing.filter(Q(insee_code__in=insee) | Q(postcode__in=postcodes))
    rows = {
        row["identifier"]: row
        for row in existing.iterator(2000)
        if incoming is None or row["identifier"] not in incoming  # the file's rows win
    }
    for identifier, values in (incoming or {}).items():
        rows[identifier] = {"identifier": identifier, **{name: values[name] for name in FIELDS[1:]}}
    for row in rows.values():
        row["address_key"] = address_key(row["address"])
    pairs = {}
    for first, second in _candidates(list(rows.values())):
        if incoming is not None and not (
            first["identifier"] in incoming or second["identifier"] in incoming
        ):
            continue
        found = _compare(first, second)
        if found:
            pairs[tuple(sorted((first["identifier"], second["identifier"])))] = found
    return sorted(
        (
            {"first": first, "second": second, "score": round(score, 2), "reason": reason}
            for (first, second), (score, reason) in pairs.items()
        ),
        key=lambda pair: (-pair["score"], pair["first"], pair["second"]),
    )
