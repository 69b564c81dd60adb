"""Time the territorial diagnosis on a throw-away test database: a region (Brittany, ~1,200
communes, 2,000 places) in a request, and the whole country (~35,000 communes, 20,000 places)
in the Celery task (eager here). Database and Python time together, cache off, then cached.

Run: .venv/bin/python bench/territory.py   (DATABASE_URL picks SQLite or PostgreSQL)"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402

DEMARCHES = "Aide aux démarches administratives"
BRITTANY = ["22", "29", "35", "56"]


def make_places(communes: list[tuple], count: int, prefix: str, rng: random.Random) -> list:
    from directory.models import Place

    places = []
    for n in range(count):
        code, name, _epci, departement, lat, lon, _pop = rng.choice(communes)
        places.append(
            Place(
                identifier=f"{prefix}-{n}",
                name=f"Lieu {n} de {name}",
                address=f"{n} rue de la Mairie",
                postcode="00000",
                commune=name,
                insee_code=code,
                departement=departement,
                latitude=lat + rng.uniform(-0.01, 0.01),
                longitude=lon + rng.uniform(-0.01, 0.01),
                # Two places in three offer the measured service.
                services=[DEMARCHES] if n % 3 else ["Loisirs et créations numériques"],
            )
        )
    Place.objects.bulk_create(places, batch_size=2000)


def timed(label: str, function) -> float:
    started = time.monotonic()
    result = function()
    elapsed = time.monotonic() - started
    print(f"{label}: {elapsed:.2f} s")
    return result


def main() -> None:
    from directory import selectors as directory
    from directory.models import Place
    from directory.services import communes_load
    from territory.diagnosis import diagnosis_get
    from territory.selectors import indicator_default
    from territory.services import fragility_import
    from territory.tasks import diagnosis_compute

    name = connection.creation.create_test_db(verbosity=0)
    rng = random.Random(19)
    try:
        communes_load()
        fragility_import()
        indicator = indicator_default()
        located = [row for row in directory.commune_rows() if row[4] is not None]
        region = [row for row in located if row[3] in BRITTANY]
        print(f"{len(located)} communes localisées, {len(region)} en Bretagne, {connection.vendor}")
        make_places(region, 2000, "region", rng)

        def region_run(use_cache=False):
            return diagnosis_get(
                service=DEMARCHES, departements=BRITTANY, indicator=indicator, use_cache=use_cache
            )

        result = timed("région, 2 000 lieux, sans cache", region_run)
        timed("région, sans cache (2e)", region_run)
        region_run(use_cache=True)
        timed("région, depuis le cache", lambda: region_run(use_cache=True))
        print(
            f"  {result['total']['population_beyond']} habitants au-delà de 10 km, "
            f"1er choix : {result['openings'][0]['phrase'] if result['openings'] else '—'}"
        )
        Place.objects.all().delete()
        make_places(located, 20_000, "pays", rng)
        everything = sorted({row[3] for row in located})
        total = timed(
            "pays entier, 20 000 lieux, tâche Celery",
            lambda: diagnosis_compute.delay(DEMARCHES, everything, None, indicator.pk).get(),
        )
        print(
            f"  {total['communes']} communes, {total['population_beyond']} habitants au-delà "
            f"de 10 km, couverture pondérée {total['coverage_score']} %"
        )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
