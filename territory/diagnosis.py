"""The territorial diagnosis of one service over a département, an EPCI or a few départements:
the inputs read through directory's selectors (one query each), the measures of `measures`,
the ranked openings explained in French, and a what-if that adds hypothetical places in memory
only. Cached per version of the data it reads."""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import numpy as np

from directory import outside_actions
from directory import selectors as directory

from . import measures, selectors
from .models import Indicator

CACHE_SECONDS = 24 * 3600
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@dataclass(frozen=True)
class Hypothetical:
    """A place that does not exist (yet): a new place, or a stop of a mobile service on a
    weekday (the distance measure does not depend on the day; the label says it)."""

    insee_code: str
    weekday: int | None = None

    def label(self, commune_name: str) -> str:
        if self.weekday is None:
            return _("Nouveau lieu à %(commune)s") % {"commune": commune_name}
        return _("Arrêt d'un service itinérant à %(commune)s le %(day)s") % {
            "commune": commune_name,
            "day": WEEKDAYS[self.weekday],
        }


def radius_default() -> float:
    return float(settings.MAILLAGE_TERRITORY_RADIUS_KM)


def number(value: int | float) -> str:
    """12 345 as French writes it (narrow no-break space)."""
    return f"{value:,}".replace(",", "\u202f")


def opening_sentence(pick: dict, radius_km: float) -> str:
    people = ngettext(
        "Ouvrir à %(commune)s rapprocherait %(people)s habitant à moins de %(radius)s km",
        "Ouvrir à %(commune)s rapprocherait %(people)s habitants à moins de %(radius)s km",
        pick["population_gagnee"],
    ) % {
        "commune": pick["nom"],
        "people": number(pick["population_gagnee"]),
        "radius": f"{radius_km:g}",
    }
    if pick["population_fragile_gagnee"]:
        people += _(", dont %(fragile)s dans des communes fragiles") % {
            "fragile": number(pick["population_fragile_gagnee"])
        }
    return people + "."


def _scope(*, departement, epci, departements) -> tuple[dict, list[tuple]]:
    if epci:
        found = directory.epci_get(siren=epci)
        name = found.name if found else epci
        return {"kind": "epci", "code": epci, "name": name}, directory.commune_rows(epci=epci)
    codes = departements or [departement]
    if len(codes) == 1:
        found = directory.departement_get(code=codes[0])
        name = found.name if found else codes[0]
    else:
        name = _("Départements %(codes)s") % {"codes": ", ".join(codes)}
    scope = {"kind": "departement", "code": ",".join(codes), "name": name}
    return scope, directory.commune_rows(departements=codes)


def _communes(rows: list[tuple], indicator: Indicator | None) -> measures.Communes:
    codes = [row[0] for row in rows]
    need = np.full(len(rows), np.nan)
    fragile = np.zeros(len(rows), dtype=bool)
    if indicator is not None:
        if indicator.level == Indicator.Level.EPCI:
            values = selectors.indicator_values(indicator=indicator, codes={r[2] for r in rows})
            keys = [row[2] for row in rows]
        else:
            values = selectors.indicator_values(indicator=indicator, codes=codes)
            keys = codes
        need = np.array([values.get(key, np.nan) for key in keys], dtype=float)
        if indicator.fragile_threshold is not None:
            fragile = np.nan_to_num(need, nan=-np.inf) >= indicator.fragile_threshold
    return measures.Communes(
        codes=codes,
        names=[row[1] for row in rows],
        epcis=[row[2] for row in rows],
        latitudes=np.array([row[4] if row[4] is not None else np.nan for row in rows], float),
        longitudes=np.array([row[5] if row[5] is not None else np.nan for row in rows], float),
        populations=np.array([row[6] or 0 for row in rows], dtype=float),
        need=need,
        fragile=fragile,
    )


def _offer(service: str, communes: measures.Communes, hypotheticals) -> tuple:
    points = directory.place_points(service=service)
    position = {code: i for i, code in enumerate(communes.codes)}
    extra = [h for h in hypotheticals if h.insee_code in position]
    offer = measures.Offer(
        names=[p[1] for p in points]
        + [h.label(communes.names[position[h.insee_code]]) for h in extra],
        insee=[p[2] for p in points] + [h.insee_code for h in extra],
        latitudes=np.array(
            [p[3] for p in points] + [communes.latitudes[position[h.insee_code]] for h in extra]
        ),
        longitudes=np.array(
            [p[4] for p in points] + [communes.longitudes[position[h.insee_code]] for h in extra]
        ),
        hypothetical=[False] * len(points) + [True] * len(extra),
    )
    itinerant = [bool(p[5]) for p in points] + [h.weekday is not None for h in extra]
    return offer, itinerant, extra


def _cache_key(**parts) -> str:
    raw = json.dumps(parts, sort_keys=True, default=str)
    return "territory:diagnosis:" + hashlib.sha256(raw.encode()).hexdigest()


def diagnosis_get(
    *,
    service: str,
    departement: str | None = None,
    epci: str | None = None,
    departements: list[str] | None = None,
    radius_km: float | None = None,
    indicator: Indicator | None = None,
    hypotheticals: tuple[Hypothetical, ...] = (),
    openings: int = 5,
    use_cache: bool = True,
) -> dict:
    """Everything the diagnosis page, its exports and `ou_ouvrir` show, as plain data.

    Distances are straight lines from each commune's centre (chef-lieu) to the nearest place
    offering `service`, anywhere in the country. With `hypotheticals`, the measures are
    computed as if those places existed, and the figures without them are given alongside;
    nothing is written. Cached per data version (places, communes, the indicator)."""
    radius_km = float(radius_km or radius_default())
    key = _cache_key(
        data=directory.directory_fingerprint(),
        indicator=(indicator.pk, indicator.updated_at) if indicator else None,
        service=service,
        departement=departement,
        epci=epci,
        departements=departements,
        radius=radius_km,
        hypotheticals=[(h.insee_code, h.weekday) for h in hypotheticals],
        openings=openings,
    )
    if use_cache and (cached := cache.get(key)) is not None:
        return cached
    scope, rows = _scope(departement=departement, epci=epci, departements=departements)
    communes = _communes(rows, indicator)
    offer, itinerant, extra = _offer(service, communes, hypotheticals)
    distances, nearest_index = measures.nearest(communes, offer)
    epci_names = directory.epci_names(sirens={c for c in communes.epcis if c})
    result = {
        "service": service,
        "radius_km": radius_km,
        "scope": scope,
        "indicator": {
            "name": indicator.name,
            "attribution": indicator.attribution,
            "licence": indicator.licence,
            "threshold": indicator.fragile_threshold,
        }
        if indicator
        else None,
        "total": measures.summarise(communes, distances, offer, radius_km),
        "epcis": [],
        "communes": [],
        "places": [],
        "openings": [],
        "whatif": None,
    }
    sirens = sorted(epci_names, key=epci_names.get)
    position = {siren: i for i, siren in enumerate(sirens)}
    groups = [position.get(siren, -1) for siren in communes.epcis]
    for siren, measured in zip(
        sirens,
        measures.summarise_groups(communes, distances, offer, radius_km, groups, len(sirens)),
        strict=True,
    ):
        result["epcis"].append({"siren": siren, "name": epci_names[siren]} | measured)
    actions: dict[str, list] = {}
    for action in outside_actions.actions_in(insee_codes=communes.codes):
        actions.setdefault(action.insee_code, []).append(
            {"title": action.title, "start": action.start.isoformat(), "url": action.url}
        )
    places_in: dict[str, int] = {}
    for code, hypothetical in zip(offer.insee, offer.hypothetical, strict=True):
        if not hypothetical:
            places_in[code] = places_in.get(code, 0) + 1
    for i, code in enumerate(communes.codes):
        finite = bool(np.isfinite(distances[i]))
        result["communes"].append(
            {
                "code": code,
                "name": communes.names[i],
                "lat": None if np.isnan(communes.latitudes[i]) else float(communes.latitudes[i]),
                "lon": None if np.isnan(communes.longitudes[i]) else float(communes.longitudes[i]),
                "epci": epci_names.get(communes.epcis[i], ""),
                "population": int(communes.populations[i]) if rows[i][6] is not None else None,
                "distance_km": round(float(distances[i]), 1) if finite else None,
                "nearest": offer.names[nearest_index[i]] if finite else "",
                "places": places_in.get(code, 0),
                "need": None if np.isnan(communes.need[i]) else round(float(communes.need[i]), 1),
                "fragile": bool(communes.fragile[i]),
                "covered": bool(distances[i] <= radius_km),
                "outside_actions": actions.get(code, []),
            }
        )
    result["places"] = _places_on_map(communes, offer, itinerant, radius_km)
    picks = measures.openings_rank(communes, distances, radius_km, count=openings)
    result["openings"] = [pick | {"phrase": opening_sentence(pick, radius_km)} for pick in picks]
    if extra:
        without = diagnosis_get(
            service=service,
            departement=departement,
            epci=epci,
            departements=departements,
            radius_km=radius_km,
            indicator=indicator,
            openings=0,
            use_cache=use_cache,
        )
        result["whatif"] = {
            "before": without["total"],
            "added": [
                name for name, hypo in zip(offer.names, offer.hypothetical, strict=True) if hypo
            ],
        }
    if use_cache:
        cache.set(key, result, CACHE_SECONDS)
    return result


def _places_on_map(communes, offer, itinerant, radius_km) -> list[dict]:
    """The offers inside the territory's box widened by the radius: those the map can show."""
    located = ~np.isnan(communes.latitudes)
    if not located.any() or not len(offer):
        return []
    margin = radius_km / 111.0
    south, north = communes.latitudes[located].min(), communes.latitudes[located].max()
    west, east = communes.longitudes[located].min(), communes.longitudes[located].max()
    margin_lon = margin / max(np.cos(np.radians((south + north) / 2)), 0.1)
    inside = (
        (offer.latitudes >= south - margin)
        & (offer.latitudes <= north + margin)
        & (offer.longitudes >= west - margin_lon)
        & (offer.longitudes <= east + margin_lon)
    )
    return [
        {
            "name": offer.names[i],
            "lat": float(offer.latitudes[i]),
            "lon": float(offer.longitudes[i]),
            "itinerant": itinerant[i],
            "hypothetical": offer.hypothetical[i],
        }
        for i in np.flatnonzero(inside)
    ]
