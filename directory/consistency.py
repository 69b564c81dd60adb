"""Does an imported place agree with itself? Its postcode, INSEE code, commune name and
coordinates are checked against the shipped communes (COG), in bulk for a whole file.

A disagreement never rejects the place: it is flagged « à vérifier » with its reason, and the
public fiche draws no route from coordinates that are far from the commune."""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import geo
from .models import Commune, Place

# A commune's chef-lieu is rarely more than 20 km from its edge in mainland France; French
# Guiana's communes are as large as départements.
MAX_DISTANCE_KM = 30
MAX_DISTANCE_KM_BY_DEPARTEMENT = {"973": 150}
_WORDS = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True)
class CommuneRef:
    insee_code: str
    name: str
    postcodes: tuple[str, ...]
    departement: str
    latitude: float | None
    longitude: float | None


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """« ST-MALO CEDEX », « Saint Malo » and « Saint-Malo » compare equal. Remembered: an
    import asks it of the same commune names on row after row."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = [_ABBREVIATIONS.get(word, word) for word in _WORDS.split(text) if word]
    words = [word for word in words if word != "cedex" and not word.isdigit()]
    return " ".join(words)


class CommuneIndex:
    """The communes of the départements a file touches, loaded once per import."""

    def __init__(self, departements: set[str]):
        self.by_insee: dict[str, CommuneRef] = {}
        self.by_name: dict[tuple[str, str], list[CommuneRef]] = {}
        rows = Commune.objects.filter(departement_id__in=sorted(departements)).values_list(
            "insee_code", "name", "postcodes", "departement_id", "latitude", "longitude"
        )
        for insee, name, postcodes, departement, latitude, longitude in rows.iterator(2000):
            ref = CommuneRef(
                insee, name, tuple(postcodes.split()), departement, latitude, longitude
            )
            self.by_insee[insee] = ref
            self.by_name.setdefault((departement, name_key(name)), []).append(ref)

    def by_name_in(self, departements: set[str], name: str, postcode: str) -> CommuneRef | None:
        """The one commune of that name in those départements (the postcode decides between
        homonyms), or None."""
        key = name_key(name)
        found = [ref for code in departements for ref in self.by_name.get((code, key), [])]
        if len(found) > 1:
            found = [ref for ref in found if postcode in ref.postcodes]
        return found[0] if len(found) == 1 else None


def _max_distance(departement: str) -> float:
    return MAX_DISTANCE_KM_BY_DEPARTEMENT.get(departement, MAX_DISTANCE_KM)


def check(values: dict, index: CommuneIndex) -> list[str]:
    """Flag `values` (one cleaned row) where it contradicts the COG; fill the INSEE code when
    the commune is found by name. Returns the reasons, in French, for the import report."""
    reasons, flags = [], []
    named = values["commune"]
    departements = _departements(values)
    commune = index.by_insee.get(values["insee_code"]) if values["insee_code"] else None
    if commune is not None and name_key(commune.name) != name_key(named):
        # A commune déléguée keeps its old name under the new commune's code: only a name
        # that is another current commune's says the code is wrong.
        other = index.by_name_in(departements, named, values["postcode"])
        if other is not None and other.insee_code != commune.insee_code:
            flags.append(Place.ReviewFlag.INSEE_OTHER_COMMUNE)
            reasons.append(
                _(
                    "Le code INSEE %(insee)s est celui de %(commune)s, pas de « %(named)s » (%(other)s)"
                )
                % {
                    "insee": values["insee_code"],
                    "commune": commune.name,
                    "named": named,
                    "other": other.insee_code,
                }
            )
            commune = other
    if commune is None and not values["insee_code"]:
        commune = index.by_name_in(departements, named, values["postcode"])
        if commune is not None:
            values["insee_code"] = commune.insee_code
            values["departement"] = commune.departement
    if named.isupper() and name_key(named) == name_key(commune.name):
        values["commune"] = commune.name  # « CHATEAUBERNARD » → « Châteaubernard » (COG)
    if commune is None:
        return _finish(values, flags, reasons)
    values["departement"] = commune.departement
    if named.isupper() and name_key(named) == name_key(commune.name):
        values["commune"] = commune.name  # « CHATEAUBERNARD » → « Châteaubernard » (COG)
    if (
        values["postcode"]
        and commune.postcodes
        and values["postcode"] not in commune.postcodes
        and "cedex" not in named.casefold()
    ):
        flags.append(Place.ReviewFlag.POSTCODE_OTHER_COMMUNE)
        reasons.append(
            _("Le code postal %(postcode)s n'est pas celui de %(commune)s (%(expected)s)")
            % {
                "postcode": values["postcode"],
                "commune": commune.name,
                "expected": ", ".join(commune.postcodes),
            }
        )
    latitude, longitude = values["latitude"], values["longitude"]
    if None not in (latitude, longitude, commune.latitude, commune.longitude):
        distance = geo.distance_km(latitude, longitude, commune.latitude, commune.longitude)
        if distance > _max_distance(commune.departement):
            swapped = geo.distance_km(longitude, latitude, commune.latitude, commune.longitude)
            flags.append(Place.ReviewFlag.FAR_COORDINATES)
            reasons.append(
                (
                    _("Coordonnées à %(km)s km de %(commune)s (latitude et longitude inversées ?)")
                    if swapped <= _max_distance(commune.departement)
                    else _("Coordonnées à %(km)s km de %(commune)s")
                )
                % {"km": round(distance), "commune": commune.name}
            )
    return _finish(values, flags, reasons)


def _finish(values: dict, flags: list[str], reasons: list[str]) -> list[str]:
    values["review_flags"] = [*values["review_flags"], *(str(flag) for flag in flags)]
    return reasons


def _departements(values: dict) -> set[str]:
    found = set()
    for code in (values["insee_code"], values["postcode"]):
        if code:
            found.add(code[:3] if code.startswith("97") else code[:2])
    if "20" in found:  # Corsica's postcodes start with 20, its INSEE codes with 2A or 2B
        found = (found - {"20"}) | {"2A", "2B"}
    return found


def departements_of(rows) -> set[str]:
    """The départements a batch of cleaned rows may touch (by INSEE code and by postcode)."""
    return set().union(*(_departements(values) for values in rows))
