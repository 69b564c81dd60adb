"""The diagnosis map drawn by the server as SVG: commune outlines (shipped, generalised) filled
by class of a measure, the places on top, a legend. It needs neither JavaScript nor tiles, so
it prints, exports as an image and goes into the PDF as it is seen."""

import functools
import gzip
import json
import math
from pathlib import Path

from django.utils.html import escape
from django.utils.translation import gettext as _

CONTOURS = Path(__file__).resolve().parent / "data" / "contours"
# Sequential, colour-blind safe, readable in greyscale (light = well served, dark = far/needy).
PALETTE = ["#fff5d6", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"]
UNKNOWN = "#d9d9d9"
WIDTH = 1000
MEASURES = ("distance", "besoin", "couverture")


@functools.cache
def _outlines(departement: str) -> dict[str, list[list[int]]]:
    path = CONTOURS / f"{departement}.json.gz"
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)["communes"]


def outlines_for(codes: list[str]) -> dict[str, list[list[int]]]:
    """The rings of these communes (thousandths of a degree), read from their départements."""
    departements = {code[:3] if code.startswith("97") else code[:2] for code in codes}
    found = {}
    for departement in departements:
        found.update(_outlines(departement))
    return {code: found[code] for code in codes if code in found}


def classes(diagnosis: dict, measure: str) -> tuple[dict[str, int | None], list[str]]:
    """Each commune's class (index in PALETTE, None when unknown) and the legend's labels."""
    radius = diagnosis["radius_km"]
    rows = diagnosis["communes"]
    if measure == "couverture":
        labels = [
            _("À moins de %(r)s km") % {"r": f"{radius:g}"},
            _("Au-delà, commune non fragile"),
            _("Au-delà, commune fragile"),
        ]
        return {
            row["code"]: 0 if row["covered"] else (2 if row["fragile"] else 1) for row in rows
        }, labels
    if measure == "besoin":
        values = sorted(row["need"] for row in rows if row["need"] is not None)
        if not values:
            return dict.fromkeys((row["code"] for row in rows), None), []
        bounds = [values[min(len(values) - 1, len(values) * q // 5)] for q in range(1, 5)]
        return _binned(
            rows, "need", bounds, _("jusqu'à %(v)s"), _("%(a)s à %(b)s"), _("plus de %(v)s")
        )
    bounds = [radius / 2, radius, radius * 2, radius * 3]
    return _binned(
        rows,
        "distance_km",
        bounds,
        _("moins de %(v)s km"),
        _("%(a)s à %(b)s km"),
        _("plus de %(v)s km"),
    )


def _binned(rows, key: str, bounds: list, first: str, middle: str, last: str):
    """Class of each commune by how many bounds its value passes (None when unknown), and the
    legend's labels: below the first bound, between each pair, above the last."""
    labels = [first % {"v": f"{bounds[0]:g}"}]
    labels += [
        middle % {"a": f"{a:g}", "b": f"{b:g}"} for a, b in zip(bounds, bounds[1:], strict=False)
    ]
    labels.append(last % {"v": f"{bounds[-1]:g}"})
    return {
        row["code"]: None if row[key] is None else sum(row[key] > bound for bound in bounds)
        for row in rows
    }, labels


def legend(diagnosis: dict, measure: str) -> list[dict]:
    _classes, labels = classes(diagnosis, measure)
    palette = [PALETTE[0], PALETTE[2], PALETTE[4]] if measure == "couverture" else PALETTE
    items = [
        {"colour": colour, "label": label} for colour, label in zip(palette, labels, strict=False)
    ]
    return items + [{"colour": UNKNOWN, "label": _("non connu")}]


def choropleth_svg(diagnosis: dict, measure: str, *, title: str) -> str:
    """The map as one <svg> element (its title and description name what it shows; the table
    of communes on the page is its accessible equivalent)."""
    commune_class, _labels = classes(diagnosis, measure)
    palette = [PALETTE[0], PALETTE[2], PALETTE[4]] if measure == "couverture" else PALETTE
    rows = diagnosis["communes"]
    outlines = outlines_for([row["code"] for row in rows])
    xs, ys = [], []
    for rings in outlines.values():
        for ring in rings:
            xs.extend(ring[0::2])
            ys.extend(ring[1::2])
    centres = {
        row["code"]: (row["lon"] * 1000, row["lat"] * 1000)
        for row in rows
        if row.get("lat") is not None
    }
    for x, y in centres.values():
        xs.append(x)
        ys.append(y)
    if not xs:
        return ""
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    # Equirectangular at the territory's mean latitude: true to shape at a département's scale.
    scale_x = math.cos(math.radians((south + north) / 2000))
    span_x = max((east - west) * scale_x, 1)
    span_y = max(north - south, 1)
    factor = (WIDTH - 20) / max(span_x, span_y * (WIDTH / 700))
    height = round(span_y * factor + 20)

    def point(x: float, y: float) -> str:
        return f"{(x - west) * scale_x * factor + 10:.1f},{(north - y) * factor + 10:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="carte-titre carte-desc" class="territory-map">',
        f'<title id="carte-titre">{escape(title)}</title>',
        '<desc id="carte-desc">'
        + escape(_("Le tableau des communes, sous la carte, en donne les mêmes valeurs."))
        + "</desc>",
        '<g class="communes" stroke="#ffffff" stroke-width="0.6" fill-rule="evenodd">',
    ]
    for row in rows:
        index = commune_class.get(row["code"])
        colour = UNKNOWN if index is None else palette[index]
        label = escape(
            f"{row['name']} : {row['distance_km'] if row['distance_km'] is not None else '?'} km"
        )
        if row["code"] in outlines:
            path = " ".join(
                "M" + " L".join(point(ring[i], ring[i + 1]) for i in range(0, len(ring), 2)) + "Z"
                for ring in outlines[row["code"]]
            )
            parts.append(f'<path d="{path}" fill="{colour}"><title>{label}</title></path>')
        elif row["code"] in centres:
            x, y = point(*centres[row["code"]]).split(",")
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="9" fill="{colour}" stroke="#555555">'
                f"<title>{label}</title></circle>"
            )
    parts.append('</g><g class="lieux">')
    for place in diagnosis["places"]:
        x, y = point(place["lon"] * 1000, place["lat"] * 1000).split(",")
        name = escape(place["name"])
        if place["hypothetical"]:
            parts.append(
                f'<rect x="{float(x) - 6:.1f}" y="{float(y) - 6:.1f}" width="12" height="12" '
                f'fill="#ffffff" stroke="#0b3d91" stroke-width="3"><title>{name}</title></rect>'
            )
        else:
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="4" fill="#0b3d91" stroke="#ffffff" '
                f'stroke-width="1.5"><title>{name}</title></circle>'
            )
    parts.append("</g></svg>")
    return "".join(parts)


def leaflet_data(diagnosis: dict, measure: str, *, tiles: str) -> dict:
    """What the Leaflet enhancement draws: the same outlines, colours and places as the SVG."""
    commune_class, _labels = classes(diagnosis, measure)
    palette = [PALETTE[0], PALETTE[2], PALETTE[4]] if measure == "couverture" else PALETTE
    outlines = outlines_for([row["code"] for row in diagnosis["communes"]])
    communes = []
    for row in diagnosis["communes"]:
        index = commune_class.get(row["code"])
        distance = "?" if row["distance_km"] is None else row["distance_km"]
        communes.append(
            {
                "name": f"{row['name']} : {distance} km",
                "colour": UNKNOWN if index is None else palette[index],
                "rings": outlines.get(row["code"], []),
                "lat": row.get("lat"),
                "lon": row.get("lon"),
            }
        )
    return {"tiles": tiles, "communes": communes, "places": diagnosis["places"]}
