"""The portal search's own figure (issue 22 §1), apart from bench/run.py's run: seeds a Hub in
its own PostgreSQL database, then times `/recherche/` rendered in this process (no page cache)
against the floor page rendered the same way, and counts its SQL queries at a tenth of the
size and at full size (they must be equal).

    .venv/bin/python bench/search.py [--small]

Writes bench/results/search.json ({"figures", "query_counts", "sizes", "date"})."""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get("BENCH_SEARCH_DATABASE", "maillage_bench_search")
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
QUERIES = ("numérique", "Rennes", "tablettes", "formation démarches")
SIZES = {
    "full": {"places": 10_000, "pages": 400, "sessions": 5_000, "items": 300},
    "small": {"places": 1_000, "pages": 40, "sessions": 500, "items": 30},
}


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def seed(sizes: dict, *, tenth: bool) -> None:
    """A tenth of `sizes` (or the other nine tenths)."""
    from bench import seed as bench_seed
    from directory.models import Place
    from directory.services import places_import
    from numeritheque.models import Category, Item, Kit

    share = (lambda n: n // 10) if tenth else (lambda n: n - n // 10)
    offset = 0 if tenth else sizes["places"] // 10
    places_import(
        data=bench_seed.places_csv(share(sizes["places"]), offset=offset),
        file_format="csv",
        source="bench",
    )
    start = 0 if tenth else sizes["pages"] // 10
    page_ids = bench_seed.pages_seed(share(sizes["pages"]), start=start)
    bench_seed.sessions_seed(share(sizes["sessions"]), page_ids=page_ids, start=start)
    category, _created = Category.objects.get_or_create(
        slug="tablettes", defaults={"name": "Tablettes numériques"}
    )
    places = list(Place.objects.order_by("pk")[:50])
    first = 0 if tenth else sizes["items"] // 10
    items = Item.objects.bulk_create(
        Item(
            name=f"Tablette numérique {n}",
            slug=f"tablette-{n}",
            category=category,
            inventory_code=f"BENCH-{n:05d}",
            home_place=places[n % len(places)],
        )
        for n in range(first, first + share(sizes["items"]))
    )
    kit = Kit.objects.create(name=f"Valise de tablettes {first}")
    kit.items.set(items[:8])


def timings(client, path: str, params: dict, rounds: int) -> list[float]:
    client.get(path, params)  # warm caches (site root paths, settings)
    values = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path, params)
        values.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params}: {response.status_code}")
    return values


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def query_counts(client) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for query in QUERIES:
        client.get("/recherche/", {"q": query})
        with CaptureQueriesContext(connection) as context:
            client.get("/recherche/", {"q": query})
        counts[query] = len(context.captured_queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="a quick run on a small Hub")
    arguments = parser.parse_args()
    sizes = SIZES["small" if arguments.small else "full"]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"{PG}/{DATABASE}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    from bench import seed as bench_seed

    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    bench_seed.floor_page_seed()
    from django.conf import settings

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        MAILLAGE_PAGE_CACHE_SECONDS=0,
        CACHES=_local_cache(),
        STORAGES={**settings.STORAGES, "staticfiles": plain_static},
    ):
        client = Client()
        seed(sizes, tenth=True)
        _analyze()
        tenth_counts = query_counts(client)
        seed(sizes, tenth=False)
        _analyze()
        full_counts = query_counts(client)
        rounds = 10 if arguments.small else 30
        floor = p95(timings(client, "/plancher/", {}, rounds))
        figures = []
        for query in QUERIES:
            value = p95(timings(client, "/recherche/", {"q": query}, rounds))
            figures.append(
                {
                    "id": f"search.portal_p95[{query}]",
                    "value": round(value, 1),
                    "baseline": round(floor, 1),
                    "baseline_name": "floor_page (rendered in process)",
                    "ratio": round(value / floor, 2),
                    "unit": "ms",
                }
            )
            print(f"  {figures[-1]['id']:<40} {value:8.1f} ms  ×{value / floor:.2f}", flush=True)
    results = {
        "figures": figures,
        "query_counts": {
            "dixieme": tenth_counts,
            "complet": full_counts,
            "egales": tenth_counts == full_counts,
        },
        "sizes": sizes,
        "date": django.utils.timezone.now().isoformat(timespec="seconds"),
    }
    target = ROOT / "bench" / "results" / "search.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"Requêtes SQL (dixième → complet) : {tenth_counts} → {full_counts}")
    print(f"Résultats : {target}")


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _local_cache() -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


if __name__ == "__main__":
    main()
