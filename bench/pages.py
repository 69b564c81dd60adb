"""The page figures alone, on a bench database kept between runs, to measure a change to one
page in minutes rather than the hour of `bench/run.py`: seed the Hub once, then measure the
pages as run.py does (rendered p95 ÷ `floor_page` p95 and cached p95 ÷ `bare_view` p95, both
baselines in the same run), their SQL query counts, and profile one page in this process.

    .venv/bin/python bench/pages.py --seed small|full      (re)creates BENCH_DATABASE, seeds
    .venv/bin/python bench/pages.py [--only NAME …] [--cached] [--profile NAME]

Same database, Redis and settings as bench/run.py (BENCH_DATABASE, BENCH_REDIS_URL)."""

import argparse
import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import ENV, analyze, recreate_database  # noqa: E402

NAMES = ("accueil", "agenda_filtre", "session", "formations_distance", "annuaire_proximite")


def seed_hub(size: str) -> None:
    """The Hub of run.py at one size, without what no page reads (subscribers)."""
    from django.core.management import call_command

    from bench import seed
    from directory.services import places_import

    sizes = seed.SMALL if size == "small" else seed.FULL
    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    places_import(data=seed.places_csv(sizes.places), file_format="csv", source="bench")
    seed.users_seed(sizes.users, start=0)
    page_ids = seed.pages_seed(sizes.pages, start=0)
    seed.sessions_seed(sizes.sessions, page_ids=page_ids, start=0)
    seed.registrations_seed(sizes.registrations, start=0)
    seed.floor_page_seed()
    analyze()
    print(f"Hub amorcé : {sizes}", flush=True)


def profile(path: str, user, *, repeat: int = 20) -> None:
    """cProfile of `repeat` renders of `path` through the test client (page cache off),
    printed (PROFILE_SORT, PROFILE_LINES) and kept in PROFILE_OUT for pstats."""
    from django.test import Client, override_settings

    client = Client()
    if user is not None:
        client.force_login(user)
    with override_settings(MAILLAGE_PAGE_CACHE_SECONDS=0):
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            client.get(path)
        profiler.disable()
    profiler.dump_stats(os.environ.get("PROFILE_OUT", ROOT / "var" / "bench-page.prof"))
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(
        os.environ.get("PROFILE_SORT", "cumulative")
    ).print_stats(int(os.environ.get("PROFILE_LINES", "45")))
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", choices=["small", "full"])
    parser.add_argument("--only", nargs="*", choices=[*NAMES, "mon_espace"])
    parser.add_argument("--cached", action="store_true", help="also cached p95 ÷ bare_view")
    parser.add_argument("--profile", choices=[*NAMES, "mon_espace"])
    arguments = parser.parse_args()
    os.environ.update(ENV)
    if arguments.seed:
        recreate_database()

    import django

    django.setup()
    import redis

    from accounts.models import User
    from bench.load import run_load
    from bench.measures import RENDER, login_cookie, page_paths, query_counts
    from bench.server import gunicorn

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    if arguments.seed:
        seed_hub(arguments.seed)
    user = User.objects.get(email="bench0@exemple.fr")
    paths = page_paths()
    names = arguments.only or [*NAMES, "mon_espace"]
    if arguments.profile:
        name = arguments.profile
        return profile(paths[name], user if name == "mon_espace" else None)
    paths = {name: paths[name] for name in names}
    counts = query_counts(paths, user)
    cookie = login_cookie(user)
    print(f"{'page':<22} {'requêtes':>8} {'p95 ms':>9} {'plancher':>9} {'ratio':>6}")
    with gunicorn(ENV, workers=3) as base:
        run_load(f"{base}/", concurrency=2, max_requests=20)  # warm up
        measured = {}
        for name, path in {**paths, "floor_page": "/plancher/"}.items():
            headers = {"Cookie": f"sessionid={cookie}"} if name == "mon_espace" else RENDER
            result = run_load(
                f"{base}{path}", concurrency=4, max_requests=300, max_seconds=15, headers=headers
            )
            measured[name] = result.p95_ms
        floor = measured.pop("floor_page")
        for name, p95 in measured.items():
            print(f"{name:<22} {counts[name]:>8} {p95:>9.1f} {floor:>9.1f} {p95 / floor:>6.2f}")
        if arguments.cached:
            bare = run_load(
                f"{base}/_bench/baseline/?size=20000", concurrency=4, max_requests=300,
                max_seconds=15,
            ).p95_ms  # fmt: skip
            for name, path in paths.items():
                if name == "mon_espace":
                    continue
                cached = run_load(f"{base}{path}", concurrency=4, max_requests=300, max_seconds=15)
                print(f"{name + ' (cache)':<22} {'':>8} {cached.p95_ms:>9.1f} {bare:>9.1f} "
                      f"{cached.p95_ms / bare:>6.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
