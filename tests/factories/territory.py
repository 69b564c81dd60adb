"""A small hand-made territory: communes on a line of latitude, so that distances are easy to
check by hand (one degree of longitude at the equator ≈ 111.2 km; here they sit on latitude 0
and are spaced in hundredths of a degree, 1.112 km each)."""

from directory.geo import distance_km
from directory.models import Commune, Departement, Epci

KM_PER_HUNDREDTH = distance_km(0, 0, 0, 0.01)


def make_communes(specs, *, departement="99", epci_siren="200000001", epci_name="CC Test"):
    """`specs`: (insee_code, name, kilometres east of the origin, population[, epci SIREN])."""
    dep, _ = Departement.objects.get_or_create(code=departement, defaults={"name": "Test"})
    epcis = {}
    communes = []
    for spec in specs:
        code, name, km, population = spec[:4]
        siren = spec[4] if len(spec) > 4 else epci_siren
        if siren not in epcis:
            epcis[siren], _ = Epci.objects.get_or_create(
                siren=siren, defaults={"name": epci_name if siren == epci_siren else f"CC {siren}"}
            )
        communes.append(
            Commune.objects.create(
                insee_code=code,
                name=name,
                departement=dep,
                epci=epcis[siren],
                latitude=0.0,
                longitude=km / KM_PER_HUNDREDTH * 0.01,
                population=population,
            )
        )
    return communes


def longitude_at(km: float) -> float:
    return km / KM_PER_HUNDREDTH * 0.01
