"""Maillage benchmarks: seeds a large Hub on PostgreSQL, serves it with gunicorn on
production-like settings on loopback, and measures each figure as a ratio against a baseline
taken in the same run (the machine is shared and noisy).

    .venv/bin/python bench/run.py [--small | --scale]   (or: make bench ARGS=--small)

Each figure has an id, its value, the baseline it is judged against, their ratio written so that
lower is better (time ÷ baseline time, or baseline throughput ÷ throughput) and its goal.
Writes bench/results/latest.json ({"figures", "machine", "sizes", "date"}) and prints a table;
`python bench/readme_table.py FILE` turns a results file into the README's table."""

import argparse
import csv
import io
import os
import platform
import secrets
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


DATABASE = os.environ.get("BENCH_DATABASE", "maillage_bench")
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": f"{PG}/{DATABASE}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SITE_URL": "http://127.0.0.1",
    "EMAIL_HOST": "127.0.0.1",
    "DB_CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
}


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum gives a live database within
    a minute: without them PostgreSQL plans for empty tables (seen: the home page took 1.1 s)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    from bench.measures import (
        PAGES,
        Table,
        feed_cold,
        login_cookie,
        page_paths,
        query_counts,
        rendered_p95,
        scale,
        timed,
        write,
    )

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="a quick run on a small Hub")
    parser.add_argument("--scale", action="store_true", help="ten times the Hub: scale.* only")
    arguments = parser.parse_args()
    os.environ.update(ENV)
    recreate_database()

    import django

    django.setup()
    from django.core.management import call_command

    import redis

    from bench import baselines, seed
    from bench.load import run_load
    from bench.server import gunicorn

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    table = Table()
    results = table.results
    results.update(
        {
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "figures": table.rows,
            "date": django.utils.timezone.now().isoformat(timespec="seconds"),
        }
    )
    if arguments.scale:
        results["sizes"] = scale(table, ENV)
        return write(results, table.began)

    sizes = seed.SMALL if arguments.small else seed.FULL
    results["sizes"] = sizes.__dict__
    print(f"Base de mesure : {ENV['DATABASE_URL']} — tailles {sizes}", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)

    from directory.services import places_import

    # Directory import: the service against COPY of the same rows (and the csv module alone).
    data = seed.places_csv(sizes.places)
    parse_seconds, rows = timed(lambda: list(csv.reader(io.StringIO(data.decode()))))
    copy_seconds = baselines.copy_rows(rows[1:])
    import_seconds, report = timed(places_import, data=data, file_format="csv", source="bench")
    print(f"  import : {report.created} créés, {len(report.rejected)} rejetés", flush=True)
    print(f"{'id':<44} {'valeur':>10} {'référence':>10} unité    ratio")
    table.add(
        "import.rows", sizes.places / import_seconds, sizes.places / copy_seconds, "lignes/s",
        goal=3.0, higher_is_better=True, baseline_name="copy_rows", value_goal=10_000,
        csv_only=round(sizes.places / parse_seconds),
    )  # fmt: skip

    seed.users_seed(sizes.users // 10, start=0)
    page_ids = seed.pages_seed(max(2, sizes.pages // 10), start=0)
    seed.sessions_seed(sizes.sessions // 10, page_ids=page_ids, start=0)
    seed.registrations_seed(sizes.registrations // 10, start=0)
    seed.subscribers_seed(sizes.subscribers // 10, start=0)
    seed.floor_page_seed()

    from accounts.models import User
    from events.models import Session

    user = User.objects.get(email="bench0@exemple.fr")
    session = (
        Session.objects.filter(start__gt=django.utils.timezone.now()).order_by("start").first()
    )
    paths = page_paths()
    with django.db.connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_post (id serial PRIMARY KEY, user_id int, at timestamptz)"
        )
    analyze()
    small_counts = query_counts(paths, user)
    cookie = login_cookie(user)
    with gunicorn(ENV, workers=3) as base:
        run_load(f"{base}/", concurrency=2, max_requests=20)  # warm up
        small_p95 = rendered_p95(base, paths, cookie)

    seed.users_seed(sizes.users - sizes.users // 10, start=sizes.users // 10)
    page_ids += seed.pages_seed(sizes.pages - len(page_ids), start=len(page_ids))
    seed.sessions_seed(
        sizes.sessions - sizes.sessions // 10, page_ids=page_ids, start=sizes.sessions // 10
    )
    seed.registrations_seed(sizes.registrations - sizes.registrations // 10, start=1)
    seed.subscribers_seed(
        sizes.subscribers - sizes.subscribers // 10, start=sizes.subscribers // 10
    )
    analyze()
    large_counts = query_counts(paths, user)
    results["query_counts"] = {
        "dixieme": small_counts,
        "complet": large_counts,
        "egales": small_counts == large_counts,
    }
    print(
        f"Requêtes SQL par page (dixième → complet) : { {k: (small_counts[k], large_counts[k]) for k in paths} }"
    )

    # The public feed: the worker's build against the icalendar library on the same rows.
    from events.public_feed import public_feed_write
    from events.selectors import session_rows_upcoming

    build_seconds, count = timed(public_feed_write)
    library_seconds = baselines.ics_library(list(session_rows_upcoming()))
    table.add(
        "ics.build", build_seconds, library_seconds, "s", goal=0.25, baseline_name="ics_library",
        sessions=count,
    )  # fmt: skip

    with gunicorn(ENV, workers=3) as base:
        run_load(f"{base}/", concurrency=2, max_requests=20)  # warm up
        bare = run_load(
            f"{base}/_bench/baseline/?size=20000", concurrency=4, max_requests=300, max_seconds=15
        )
        for name in PAGES:
            cached = run_load(
                f"{base}{paths[name]}", concurrency=4, max_requests=300, max_seconds=15
            )
            table.add(
                f"page.{name}.cached_p95", cached.p95_ms, bare.p95_ms, "ms", goal=1.5,
                baseline_name="bare_view", p50=round(cached.p50_ms, 2),
            )  # fmt: skip
        full_p95 = rendered_p95(base, paths, cookie)
        for name in [*PAGES, "mon_espace"]:
            table.add(
                f"page.{name}.rendered_p95", full_p95[name], full_p95["floor_page"], "ms",
                goal=2.0, baseline_name="floor_page",
            )  # fmt: skip
        for name in [*PAGES, "mon_espace"]:
            table.add(
                f"page.{name}.growth", full_p95[name], small_p95[name], "ms", goal=1.2,
                baseline_name="rendered_p95_at_a_tenth",
            )  # fmt: skip
        cold_p95, cached_p95 = feed_cold(ENV, base)
        table.add(
            "ics.cold_p95", cold_p95, cached_p95, "ms", goal=2.0, baseline_name="ics.cached_p95"
        )

        # Registration rush: 500 people at once on a 30-seat session, over HTTP.
        from events.services import session_create

        page = Session.objects.first().page
        now = django.utils.timezone.now()
        rush = session_create(
            page=page,
            start=now + django.utils.timezone.timedelta(days=30),
            end=now + django.utils.timezone.timedelta(days=30, hours=2),
            capacity=30,
            waiting_list_enabled=True,
            venue=session.venue,
        )
        people = list(User.objects.filter(email__startswith="bench")[:500])
        cookies = [login_cookie(person) for person in people]
        token = secrets.token_hex(16)
        statuses: list[int] = []
        lock = threading.Lock()

        def register(cookie: str, path: str) -> None:
            import http.client

            host, port = base.replace("http://", "").split(":")
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            body = f"csrfmiddlewaretoken={token}".encode()
            # A request that times out or loses its connection is an error (status 0): a
            # thread that died silently would leave a failing rush reading « 0 erreurs ».
            try:
                connection.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        "Cookie": f"sessionid={cookie}; csrftoken={token}",
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"{base}/",
                        "X-CSRFToken": token,
                    },
                )
                status = connection.getresponse().status
            except (OSError, http.client.HTTPException):
                status = 0
            finally:
                connection.close()
            with lock:
                statuses.append(status)

        def rush_with(path: str) -> float:
            statuses.clear()
            threads = [threading.Thread(target=register, args=(cookie, path)) for cookie in cookies]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return len(threads) / (time.perf_counter() - started)

        baseline_rate = rush_with("/_bench/baseline-post/")
        rush_rate = rush_with(f"/agenda/sessions/{rush.pk}/inscription/")
        from events.models import Registration

        confirmed = Registration.objects.filter(
            session=rush, status=Registration.Status.CONFIRMED
        ).count()
        waitlisted = Registration.objects.filter(
            session=rush, status=Registration.Status.WAITLISTED
        ).count()
        errors = sum(1 for status in statuses if status >= 500 or status == 0)
        print(
            f"  ruée : {confirmed} confirmées (30 places), {waitlisted} en liste d'attente, {errors} erreurs"
        )
        table.add(
            "rush.ratio", rush_rate, baseline_rate, "req/s", goal=3.0, higher_is_better=True,
            baseline_name="trivial_post", confirmed=confirmed, waitlisted=waitlisted,
            errors=errors,
        )  # fmt: skip

    # The newsletter: a real worker on Redis to a local SMTP sink, against Django alone.
    from bench import newsletter

    letter = newsletter.measure(
        ENV,
        broker_url=os.environ.get("BENCH_NEWSLETTER_BROKER_URL", "redis://127.0.0.1:6379/8"),
        subscribers=sizes.subscribers,
        departement="35",
    )
    sent = letter["sent"]
    print(f"  lettre du 35 : {sent} messages envoyés ({sizes.subscribers} abonnés en tout)")
    table.add(
        "newsletter.send", sent / letter["worker"], sent / letter["mail_django"], "msg/s",
        goal=1.3, higher_is_better=True, baseline_name="mail_django", sent=sent,
        smtplib_raw=round(sent / letter["smtplib_raw"], 1),
        message_bytes=letter["message_bytes"],
    )  # fmt: skip
    write(results, table.began)


if __name__ == "__main__":
    main()
    print("Résultats : bench/results/latest.json (ou BENCH_RESULTS)")
