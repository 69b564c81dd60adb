"""Offer × need for one service over a territory: distances from each commune's centre to the
nearest place offering it (straight line, great circle), people beyond a radius, places per
10,000 inhabitants, a need-weighted coverage score, and the greedy « où ouvrir ».

Pure computation on arrays: the inputs come from directory's selectors in one query each, so a
region (~1,200 communes, ~2,000 places) takes well under a second and a whole country a few."""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from directory import geo


@dataclass
class Offer:
    """Places (and hypothetical ones) offering the service: parallel lists."""

    names: list[str]
    insee: list[str]
    latitudes: np.ndarray
    longitudes: np.ndarray
    hypothetical: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class Communes:
    """The communes of the territory: parallel arrays, in display order."""

    codes: list[str]
    names: list[str]
    epcis: list[str | None]
    latitudes: np.ndarray
    longitudes: np.ndarray
    populations: np.ndarray  # 0 where unknown
    need: np.ndarray  # the indicator's value, NaN where absent
    fragile: np.ndarray  # bool: need at or above the indicator's threshold

    def __len__(self) -> int:
        return len(self.codes)


def need_weights(communes: Communes) -> np.ndarray:
    """Each commune's people weighted by how much more than usual they need help: the need
    value over the territory's median (1 where unknown, or when there is no indicator)."""
    known = communes.need[~np.isnan(communes.need)]
    median = float(np.median(known)) if len(known) else 0.0
    if median <= 0:
        return communes.populations.astype(float)
    factor = np.where(np.isnan(communes.need), 1.0, communes.need / median)
    return communes.populations * factor


def nearest(communes: Communes, offer: Offer) -> tuple[np.ndarray, np.ndarray]:
    """Distance (km) from each commune's centre to the nearest offer, and that offer's index;
    infinity and -1 for a commune without coordinates."""
    located = ~np.isnan(communes.latitudes)
    distances = np.full(len(communes), np.inf)
    index = np.full(len(communes), -1, dtype=int)
    if not located.any():
        return distances, index
    distances[located], index[located] = geo.nearest_bulk(
        (communes.latitudes[located], communes.longitudes[located]),
        (offer.latitudes, offer.longitudes),
    )
    return distances, index


def summarise(
    communes: Communes, distances: np.ndarray, offer: Offer, radius_km: float, mask=None
) -> dict:
    """The measures of a group of communes (`mask`, all by default)."""
    mask = np.ones(len(communes), dtype=bool) if mask is None else mask
    population = communes.populations[mask]
    distance = distances[mask]
    covered = distance <= radius_km
    weights = need_weights(communes)[mask]
    fragile = communes.fragile[mask]
    inside = {code for code, keep in zip(communes.codes, mask, strict=True) if keep}
    places = sum(
        1
        for code, hypothetical in zip(offer.insee, offer.hypothetical, strict=True)
        if code in inside and not hypothetical
    )
    total = int(population.sum())
    beyond = int(population[~covered].sum())
    reachable = np.isfinite(distance) & (population > 0)
    return {
        "communes": int(mask.sum()),
        "population": total,
        "places": places,
        "per_10000": round(places * 10_000 / total, 2) if total else None,
        "population_beyond": beyond,
        "share_beyond": round(100 * beyond / total, 1) if total else None,
        "fragile_population": int(population[fragile].sum()),
        "fragile_beyond": int(population[fragile & ~covered].sum()),
        # Share of the need-weighted population within the radius: 100 when everyone who needs
        # help has a place near, whatever the size of the communes.
        "coverage_score": round(100 * float(weights[covered].sum()) / float(weights.sum()), 1)
        if weights.sum()
        else None,
        # What an inhabitant travels on average (straight line), people weighting communes.
        "mean_distance": round(
            float(np.average(distance[reachable], weights=population[reachable])), 1
        )
        if reachable.any()
        else None,
        "communes_beyond": int((~covered).sum()),
    }


def openings_rank(
    communes: Communes, distances: np.ndarray, radius_km: float, count: int = 5
) -> list[dict]:
    """Greedy maximal coverage: the communes where one new place would bring the most
    need-weighted people within `radius_km`, each choice counting only those the previous
    ones have not already brought (the classic greedy, within 63 % of the best set).

    Candidates and people are the communes of the territory; a new place sits at the commune's
    centre. Returns at most `count` picks, fewer when no pick brings anyone more."""
    uncovered = (distances > radius_km) & (communes.populations > 0)
    weights = need_weights(communes)
    located = np.flatnonzero(~np.isnan(communes.latitudes))
    points = (communes.latitudes[located], communes.longitudes[located])
    reach = geo.within_bulk(points, points, radius_km)
    rows = located[np.repeat(np.arange(len(located)), [len(r) for r in reach])]
    cols = located[np.fromiter((j for r in reach for j in r), dtype=int, count=len(rows))]
    matrix = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(communes), len(communes))
    )
    picks = []
    for _ in range(count):
        gains = matrix @ (weights * uncovered)
        # Ties go to the commune that brings more people, then to the earlier in the list.
        people = matrix @ (communes.populations * uncovered)
        best = int(np.lexsort((-people, -gains))[0]) if len(gains) else 0
        if not len(gains) or gains[best] <= 0:
            break
        reached = matrix[best].indices
        newly = reached[uncovered[reached]]
        picks.append(
            {
                "code_insee": communes.codes[best],
                "nom": communes.names[best],
                "population_gagnee": int(communes.populations[newly].sum()),
                "population_fragile_gagnee": int(
                    communes.populations[newly][communes.fragile[newly]].sum()
                ),
                "communes_gagnees": len(newly),
                "score": round(float(gains[best]), 1),
            }
        )
        uncovered[newly] = False
    return picks
