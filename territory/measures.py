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


def summarise(communes: Communes, distances: np.ndarray, offer: Offer, radius_km: float) -> dict:
    """The measures of the whole territory."""
    return summarise_groups(
        communes, distances, offer, radius_km, np.zeros(len(communes), dtype=int), 1
    )[0]


def summarise_groups(
    communes: Communes, distances: np.ndarray, offer: Offer, radius_km: float, groups, count: int
) -> list[dict]:
    """The measures of each group of communes (`groups[i]` is commune i's group, -1 for none),
    in one pass of array sums whatever the number of groups (1,255 EPCI in France)."""
    groups = np.asarray(groups, dtype=int)
    keep = groups >= 0
    g = groups[keep]
    population = communes.populations[keep]
    distance = distances[keep]
    covered = distance <= radius_km
    weights = need_weights(communes)[keep]
    fragile = communes.fragile[keep]
    reachable = np.isfinite(distance) & (population > 0)

    def total(values) -> np.ndarray:
        return np.bincount(g, weights=values, minlength=count)

    # Places located in each group; hypothetical ones are not places (yet).
    group_of = dict(zip(communes.codes, groups.tolist(), strict=True))
    located_in = [
        group_of.get(code, -1)
        for code, hypothetical in zip(offer.insee, offer.hypothetical, strict=True)
        if not hypothetical
    ]
    places = np.bincount([x for x in located_in if x >= 0], minlength=count)
    sizes = np.bincount(g, minlength=count)
    sizes_beyond = np.bincount(g, weights=~covered, minlength=count)
    people = total(population)
    beyond = total(population * ~covered)
    fragile_people = total(population * fragile)
    fragile_beyond = total(population * (fragile & ~covered))
    weight_all, weight_covered = total(weights), total(weights * covered)
    distance_people = total(np.where(reachable, distance, 0) * population)
    reachable_people = total(population * reachable)
    return [
        {
            "communes": int(sizes[i]),
            "communes_beyond": int(sizes_beyond[i]),
            "population": int(people[i]),
            "places": int(places[i]),
            "per_10000": round(float(places[i] * 10_000 / people[i]), 2) if people[i] else None,
            "population_beyond": int(beyond[i]),
            "share_beyond": round(float(100 * beyond[i] / people[i]), 1) if people[i] else None,
            "fragile_population": int(fragile_people[i]),
            "fragile_beyond": int(fragile_beyond[i]),
            # Share of the need-weighted population within the radius: 100 when everyone who
            # needs help has a place near, whatever the size of the communes.
            "coverage_score": round(float(100 * weight_covered[i] / weight_all[i]), 1)
            if weight_all[i]
            else None,
            # What an inhabitant travels on average (straight line), people weighting communes.
            "mean_distance": round(float(distance_people[i] / reachable_people[i]), 1)
            if reachable_people[i]
            else None,
        }
        for i in range(count)
    ]


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
