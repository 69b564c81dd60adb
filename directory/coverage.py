"""The coverage of a territory: places offering each service per EPCI or commune, mediators,
places per 10,000 inhabitants and actions « hors les murs ». Read through
`directory.selectors.coverage_matrix`."""

from . import standard
from .models import Commune, Departement, Place, StructureMembership


def _per_10000(places: int, population: int | None) -> float | None:
    return round(places * 10_000 / population, 2) if population else None


def _population(communes: list[Commune]) -> int | None:
    """The total, or None ("n.c.") as soon as one commune's population is unknown."""
    populations = [commune.population for commune in communes]
    return None if None in populations else sum(populations)


def coverage_matrix(*, departement: str, epci: str | None = None) -> dict:
    """Places offering each service in each EPCI of a département (or, with `epci`, in each
    commune of that EPCI), with the mediators (members of the structures running them),
    places per 10,000 inhabitants, actions "hors les murs", the communes without any place and
    the places to map. Constant number of queries whatever the size of the territory: four,
    plus one per provider of actions hors les murs.

    Populations are those of the communes of the département: an EPCI straddling two
    départements is counted for its part in this one, like its places."""
    from . import outside_actions

    departement_obj = Departement.objects.filter(code=departement).first()
    all_communes = list(Commune.objects.filter(departement_id=departement).select_related("epci"))
    epcis = sorted(
        {commune.epci for commune in all_communes if commune.epci}, key=lambda epci: epci.name
    )
    selected_epci = next((item for item in epcis if item.siren == epci), None) if epci else None
    if selected_epci:
        communes = [commune for commune in all_communes if commune.epci_id == epci]
        territories = sorted(communes, key=lambda commune: commune.name)
        territory_of = {commune.insee_code: commune.insee_code for commune in communes}
        scope_name = selected_epci.name
    else:
        communes = all_communes
        territories = epcis
        territory_of = {c.insee_code: c.epci_id for c in communes if c.epci_id}
        scope_name = departement_obj.name if departement_obj else departement
    keys = [territory.pk for territory in territories]
    service_names = list(standard.vocabularies()[standard.SERVICES])
    counts = {key: dict.fromkeys(service_names, 0) for key in keys}
    places_in = dict.fromkeys(keys, 0)
    organisations_in: dict[str, set[int]] = {key: set() for key in keys}
    communes_with_place: set[str] = set()
    all_organisations: set[int] = set()
    markers = []
    total_places = 0
    for pk, name, insee, services, organisation_id, latitude, longitude in Place.objects.filter(
        insee_code__in=[commune.insee_code for commune in communes]
    ).values_list(
        "pk", "name", "insee_code", "services", "organisation_id", "latitude", "longitude"
    ):
        total_places += 1
        communes_with_place.add(insee)
        if organisation_id:
            all_organisations.add(organisation_id)
        if latitude is not None:
            markers.append({"name": name, "lat": latitude, "lon": longitude, "pk": pk})
        key = territory_of.get(insee)
        if key is None:
            continue
        places_in[key] += 1
        if organisation_id:
            organisations_in[key].add(organisation_id)
        for service in services:
            if service in counts[key]:
                counts[key][service] += 1
    members: dict[int, set[int]] = {}
    for organisation_id, user_id in StructureMembership.objects.filter(
        organisation_id__in=list(all_organisations)
    ).values_list("organisation_id", "user_id"):
        members.setdefault(organisation_id, set()).add(user_id)

    def mediators(organisations: set[int]) -> int:
        return len(set().union(*(members.get(o, set()) for o in organisations)))

    commune_of = {commune.insee_code: commune for commune in communes}
    actions = [
        {"action": action, "commune": commune_of[action.insee_code]}
        for action in outside_actions.actions_in(insee_codes=list(commune_of))
        if action.insee_code in commune_of
    ]
    actions_in = dict.fromkeys(keys, 0)
    for item in actions:
        key = territory_of.get(item["action"].insee_code)
        if key is not None:
            actions_in[key] += 1
    communes_of: dict[str, list[Commune]] = {key: [] for key in keys}
    for commune in communes:
        key = territory_of.get(commune.insee_code)
        if key is not None:
            communes_of[key].append(commune)
    rows = []
    for territory, key in zip(territories, keys, strict=True):
        population = _population(communes_of[key])
        rows.append(
            {
                "territory": territory,
                "name": territory.name,
                "code": key,
                "places": places_in[key],
                "mediators": mediators(organisations_in[key]),
                "population": population,
                "per_10000": _per_10000(places_in[key], population),
                "outside_actions": actions_in[key],
                "counts": list(counts[key].values()),
                "missing": [s for s, n in counts[key].items() if n == 0],
            }
        )
    population = _population(communes)
    return {
        "departement": departement_obj,
        "epcis": epcis,
        "epci": selected_epci,
        "by_commune": selected_epci is not None,
        "services": service_names,
        "rows": rows,
        "total": {
            "name": scope_name,
            "places": total_places,
            "mediators": mediators(all_organisations),
            "population": population,
            "per_10000": _per_10000(total_places, population),
            "outside_actions": len(actions),
        },
        "outside_actions": actions,
        "communes": len(communes),
        "uncovered_communes": sorted(
            commune.name for commune in communes if commune.insee_code not in communes_with_place
        ),
        "markers": markers,
    }
