import pytest

from territory.models import Indicator, IndicatorValue
from tests.factories.directory import PlaceFactory
from tests.factories.territory import longitude_at, make_communes

DEMARCHES = "Aide aux démarches administratives"


@pytest.fixture
def small_territory(db):
    """Five communes on the equator, km east of Alpha: Alpha 0, Bravo 5, Charlie 20, Delta 40,
    Echo 44; two EPCI; one place offering « démarches » at Alpha, one offering something else
    at Delta; a need indicator (fragile from 100) whose median is 100."""
    make_communes(
        [
            ("99001", "Alpha", 0, 1000, "200000001"),
            ("99002", "Bravo", 5, 2000, "200000001"),
            ("99003", "Charlie", 20, 500, "200000001"),
            ("99004", "Delta", 40, 3000, "200000002"),
            ("99005", "Echo", 44, 100, "200000002"),
        ]
    )
    PlaceFactory(
        name="Médiathèque d'Alpha",
        insee_code="99001",
        latitude=0.0,
        longitude=0.0,
        services=[DEMARCHES],
        emails=["direction@alpha.fr"],
        phone="+33299000000",
    )
    PlaceFactory(
        insee_code="99004",
        latitude=0.0,
        longitude=longitude_at(40),
        services=["Loisirs et créations numériques"],
    )
    indicator = Indicator.objects.create(
        name="Fragilité", slug="fragilite", year=2020, source="Test", fragile_threshold=100
    )
    for code, value in {"99001": 120, "99002": 80, "99003": 150, "99004": 100, "99005": 60}.items():
        IndicatorValue.objects.create(indicator=indicator, code=code, value=value)
    return indicator
