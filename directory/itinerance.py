"""Mobile services in files of the national standard: a France Services bus or a conseiller's
rounds arrive as one row per stop, with similar names (« Bus France Services - [Place de la
poste] »). The import gathers such rows into one place (`itinerance = Itinérant`) with its
stops, each keeping its own address, commune and hours.

Rows are gathered when they share a base name (the name without the stop's part), a SIRET, a
phone and a source, and either say `Itinérant` or have a base name that says it moves (bus,
camion, itinérant, mobile…): two « Médiathèque » of one network in two towns stay two places."""

import copy
import re

from . import consistency, standard_io

ITINERANT = "Itinérant"
FAR_COORDINATES = "coordonnees_eloignees"
_STOP_IN_BRACKETS = re.compile(r"\s*[\[(](?P<stop>[^\])]*)[\])]\s*")
_STOP_AFTER_DASH = re.compile(r"^(?P<base>.+?)\s+[-–—:]\s+(?P<stop>.+)$")
_MOBILE_WORDS = {"bus", "camion", "itinerant", "itinerante", "mobile", "tournee", "van"}
_PUBLIC_HOLIDAYS_OFF = re.compile(r"^\s*PH\s+off\s*$", re.IGNORECASE)


def split_name(name: str) -> tuple[str, str]:
    """(base name, stop) of a row's name: « Bus France Services - [Place de la poste] » is
    (« Bus France Services », « Place de la poste »)."""
    stop = ""
    bracketed = _STOP_IN_BRACKETS.search(name)
    if bracketed:
        stop = bracketed["stop"].strip()
        name = _STOP_IN_BRACKETS.sub(" ", name)
    name = " ".join(name.split()).strip(" -–—:")
    if not stop:
        dashed = _STOP_AFTER_DASH.match(name)
        if dashed and set(consistency.name_key(dashed["base"]).split()) & _MOBILE_WORDS:
            name, stop = dashed["base"].strip(), dashed["stop"].strip()
    return name, stop


def _says_it_moves(values: dict, base: str) -> bool:
    return ITINERANT in values["itinerance"] or bool(
        set(consistency.name_key(base).split()) & _MOBILE_WORDS
    )


def groups(valid: dict[str, tuple[int, dict]]) -> list[list[str]]:
    """The identifiers of the rows to gather, each group in file order (two rows or more)."""
    found: dict[tuple, list[str]] = {}
    for identifier, (_line, values) in valid.items():
        base, _stop = split_name(values["name"])
        if not base or not _says_it_moves(values, base):
            continue
        key = (consistency.name_key(base), values["pivot"], values["phone"], values["source"])
        found.setdefault(key, []).append(identifier)
    return [identifiers for identifiers in found.values() if len(identifiers) > 1]


def combined_hours(hours: list[str]) -> str:
    """Each stop's hours as one rule set for the service (the days it can be met somewhere),
    « PH off » once at the end so that a later stop's day does not reopen a public holiday."""
    rules, holidays_off = [], False
    for text in hours:
        for rule in text.split(";"):
            if _PUBLIC_HOLIDAYS_OFF.match(rule):
                holidays_off = True
            elif rule.strip():
                rules.append(rule.strip())
    if holidays_off:
        rules.append("PH off")
    text = "; ".join(dict.fromkeys(rules))
    return text if text and standard_io.check_opening_hours(text) else ""


def stop_values(values: dict, position: int) -> dict:
    """The attributes of a PlaceStop taken from one cleaned row."""
    far = FAR_COORDINATES in values["review_flags"]
    return {
        "identifier": values["identifier"],
        "position": position,
        "name": split_name(values["name"])[1],
        "address": values["address"],
        "address_complement": values["address_complement"],
        "postcode": values["postcode"],
        "commune": values["commune"],
        "insee_code": values["insee_code"],
        # A stop geocoded far from its commune is kept, but never searched from that point.
        "latitude": None if far else values["latitude"],
        "longitude": None if far else values["longitude"],
        "opening_hours": values["opening_hours"],
        "opening_hours_valid": values["opening_hours_valid"],
    }


def gather(rows: list[dict]) -> tuple[dict, list[dict]]:
    """One place's values from its stops' rows (the first row gives the address the standard
    requires), and the stops."""
    first = rows[0]
    stops = [stop_values(values, position) for position, values in enumerate(rows)]
    place = {
        **first,
        "name": split_name(first["name"])[0],
        "itinerance": [ITINERANT],
        "opening_hours": combined_hours(
            [values["opening_hours"] for values in rows if values["opening_hours_valid"]]
        ),
        "opening_hours_valid": True,
        # Another stop's absurd coordinates are dropped with it (`stop_values`): the place's
        # own position, the first stop's, is the only one its flag speaks of.
        "review_flags": list(
            dict.fromkeys(
                flag
                for values in rows
                for flag in values["review_flags"]
                if flag != FAR_COORDINATES or values is first
            )
        ),
    }
    for name in (
        "services",
        "publics",
        "specific_support",
        "fees",
        "national_schemes",
        "labels",
        "other_labels",
        "access_modes",
        "support_modes",
    ):
        place[name] = list(dict.fromkeys(value for values in rows for value in values[name]))
    dates = [values["source_updated_on"] for values in rows if values["source_updated_on"]]
    place["source_updated_on"] = max(dates) if dates else None
    return place, stops


def stops_by_place() -> dict[int, list]:
    """Every stop of every mobile service, by place (one query: there are few)."""
    from .models import PlaceStop

    stops: dict[int, list] = {}
    for stop in PlaceStop.objects.order_by("place_id", "position", "pk"):
        stops.setdefault(stop.place_id, []).append(stop)
    return stops


def as_rows(place, stops: list) -> list:
    """The place as the standard's files carry it: itself, or for a mobile service one copy
    per stop (the stop's identifier, address, position and hours; « Nom - [arrêt] »), which
    the import gathers again into the same place."""
    if not stops:
        return [place]
    copies = []
    for stop in stops:
        row = copy.copy(place)
        row.identifier = stop.identifier
        row.name = f"{place.name} - [{stop.name or stop.commune}]"
        for attribute in (
            "address",
            "address_complement",
            "postcode",
            "commune",
            "insee_code",
            "latitude",
            "longitude",
            "opening_hours",
            "opening_hours_valid",
        ):
            setattr(row, attribute, getattr(stop, attribute))
        row.itinerance = [ITINERANT]
        copies.append(row)
    return copies


def stop_rows(place) -> list[dict]:
    """A mobile service's stops as its fiches show them, each with the days it is there
    (no query for a fixed place)."""
    from . import hours

    if ITINERANT not in place.itinerance:
        return []
    return [
        {
            "stop": stop,
            "days": [day for day in hours.usual_week(stop.opening_hours) if day["spans"]],
        }
        for stop in place.stops.all()
    ]
