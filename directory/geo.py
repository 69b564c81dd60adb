"""Great-circle distances and the bounding box that lets SQL pre-filter them on an index: the
one haversine of the project, in Python and as a database expression (SQLite and PostgreSQL)."""

import math

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from .standard import normalise_key

EARTH_RADIUS_KM = 6371.0088


def commune_key(name: str) -> str:
    """A commune's name as people type it: case, accents, hyphens and apostrophes do not
    matter ("saint malo" finds Saint-Malo, "cesson sevigne" Cesson-Sévigné)."""
    return " ".join(normalise_key(name).replace("-", " ").replace("'", " ").split())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_km_expression(latitude: float, longitude: float, *, prefix: str = ""):
    """`distance_km` from (latitude, longitude) to the row's `<prefix>latitude`/`longitude`,
    computed by the database (the same formula, so that SQL and Python agree)."""
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    lat2, lon2 = Radians(F(f"{prefix}latitude")), Radians(F(f"{prefix}longitude"))
    half_chord = Power(Sin((lat2 - Value(lat1)) / 2), 2) + Value(math.cos(lat1)) * Cos(
        lat2
    ) * Power(Sin((lon2 - Value(lon1)) / 2), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(half_chord), output_field=FloatField())


def bounding_box(latitude: float, longitude: float, radius_km: float, *, prefix: str = "") -> dict:
    """Filter arguments for a lat/lon box that contains the circle (wider than it, never
    narrower), on the row's `<prefix>latitude`/`<prefix>longitude`."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    dlon = min(math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)), 180)
    return {
        f"{prefix}latitude__gte": latitude - dlat,
        f"{prefix}latitude__lte": latitude + dlat,
        f"{prefix}longitude__gte": longitude - dlon,
        f"{prefix}longitude__lte": longitude + dlon,
    }


def _unit_vectors(latitudes, longitudes):
    """Points on the unit sphere: a chord there is monotonic in the great-circle distance, so a
    k-d tree in three dimensions finds the nearest points exactly, poles and all."""
    import numpy as np

    lat = np.radians(np.asarray(latitudes, dtype=float))
    lon = np.radians(np.asarray(longitudes, dtype=float))
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _chord_to_km(chord):
    import numpy as np

    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2, 0, 1))


def _km_to_chord(km: float) -> float:
    return 2 * math.sin(min(km / EARTH_RADIUS_KM, math.pi) / 2)


def nearest_bulk(points: tuple, targets: tuple):
    """For each (latitudes, longitudes) of `points`, the great-circle distance in km to the
    nearest of `targets` and its index; infinity and -1 when there is no target at all."""
    import numpy as np
    from scipy.spatial import cKDTree

    count = len(points[0])
    if not len(targets[0]):
        return np.full(count, np.inf), np.full(count, -1, dtype=int)
    tree = cKDTree(_unit_vectors(*targets))
    chord, index = tree.query(_unit_vectors(*points), k=1)
    return _chord_to_km(chord), np.asarray(index, dtype=int)


def within_bulk(points: tuple, targets: tuple, radius_km: float) -> list[list[int]]:
    """For each of `points`, the indices of `targets` at most `radius_km` away (great circle)."""
    from scipy.spatial import cKDTree

    if not len(targets[0]) or not len(points[0]):
        return [[] for _ in range(len(points[0]))]
    tree = cKDTree(_unit_vectors(*targets))
    # A hair wider than the radius so that a point exactly on it is in: float rounding of the
    # chord must not drop it.
    return tree.query_ball_point(_unit_vectors(*points), r=_km_to_chord(radius_km) * (1 + 1e-9))
