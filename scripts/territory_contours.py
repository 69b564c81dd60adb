"""Build territory/data/contours/<département>.json.gz: today's communes as generalised outlines for
the diagnosis map, from the per-département GeoJSON files of france-geojson (IGN ADMIN EXPRESS COG
2018, Licence Ouverte; see territory/data/README.md).

    python scripts/territory_contours.py FOLDER   # FOLDER holds departements/*/communes-*.geojson

Rings are simplified (Douglas-Peucker, 0.002° ≈ 150-220 m) and stored as integers in
thousandths of a degree (≈ 100 m); the 2018 codes are mapped onto today's communes with
anciens_codes.csv, a commune nouvelle keeping the outlines of each former commune.
"""

import csv
import gzip
import json
import sys
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "territory" / "data"
TOLERANCE = 0.002


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker, iterative (deep recursion on long coastlines)."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        segment = points[last] - points[first]
        inner = points[first + 1 : last] - points[first]
        length = np.hypot(*segment)
        if length == 0:
            distances = np.hypot(inner[:, 0], inner[:, 1])
        else:
            distances = np.abs(segment[0] * inner[:, 1] - segment[1] * inner[:, 0]) / length
        index = int(np.argmax(distances))
        if distances[index] > tolerance:
            middle = first + 1 + index
            keep[middle] = True
            stack.extend([(first, middle), (middle, last)])
    return points[keep]


def rings_of(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [ring for polygon in polygons for ring in polygon]


def main(folder: str) -> None:
    history = {}
    with (DATA / "anciens_codes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            history[row["ancien_code"]] = row["code_actuel"]
    communes: dict[str, list[list[int]]] = {}
    for path in sorted(Path(folder).glob("departements/*/communes-*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code = feature["properties"]["code"]
            code = history.get(code, code)
            for ring in rings_of(feature["geometry"]):
                simplified = simplify(np.array(ring, dtype=float), TOLERANCE)
                quantised = np.round(simplified * 1000).astype(int)
                # Consecutive duplicates after rounding add bytes, not shape.
                changed = np.any(np.diff(quantised, axis=0) != 0, axis=1)
                quantised = quantised[np.concatenate([[True], changed])]
                if len(quantised) >= 4:
                    communes.setdefault(code, []).append(quantised.ravel().tolist())
    departement_of = {}
    with gzip.open(DATA.parent.parent / "directory" / "data" / "communes.csv.gz", "rt") as handle:
        for row in csv.DictReader(handle):
            departement_of[row["code_insee"]] = row["departement"]
    by_departement: dict[str, dict] = {}
    for code, rings in communes.items():
        if code in departement_of:
            by_departement.setdefault(departement_of[code], {})[code] = rings
    (DATA / "contours").mkdir(exist_ok=True)
    for departement, outlines in by_departement.items():
        payload = {
            "source": "france-geojson (IGN ADMIN EXPRESS COG 2018), Licence Ouverte Etalab",
            "unit": "millièmes de degré (longitude, latitude)",
            "communes": outlines,
        }
        target = DATA / "contours" / f"{departement}.json.gz"
        with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as out:
            json.dump(payload, out, separators=(",", ":"))
    print(f"{sum(map(len, by_departement.values()))} communes")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
