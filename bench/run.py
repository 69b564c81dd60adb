"""Maillage benchmarks: seeds a large Hub on PostgreSQL, serves it with gunicorn on
production-like settings on loopback, and measures each figure as a ratio against a baseline
taken in the same run (the machine is shared and noisy).

    .venv/bin/python bench/run.py [--small]        (or: make bench ARGS=--small)

Writes bench/results/latest.json and prints a table."""

import argparse
import csv
import io
import json
import os
import platform
import secrets
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = "maillage_bench"
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


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


class Table:
    def __init__(self):
        self.rows: list[dict] = []

    def add(
        self,
        figure: str,
        value: float,
        baseline: float,
        unit: str,
        *,
        higher_is_better: bool = False,
    ):
        ratio = (
            (baseline / value if higher_is_better else value / baseline)
            if baseline and value
            else float("nan")
        )
        self.rows.append(
            {
                "figure": figure,
                "value": round(value, 2),
                "baseline": round(baseline, 2),
                "unit": unit,
                "ratio": round(ratio, 2),
            }
        )
        print(f"  {figure:<48} {value:>10.2f} {baseline:>10.2f} {unit:<8} ×{ratio:.2f}", flush=True)


def query_counts(paths: dict[str, str], user) -> dict[str, int]:
    """SQL queries per page, through Django's test client in this process. The page cache
    would answer with no query at all: what is counted is the cost of rendering."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = {}
    with override_settings(MAILLAGE_PAGE_CACHE_SECONDS=0):
        for name, path in paths.items():
            client = Client()
            if name == "mon_espace":
                client.force_login(user)
            client.get(path)  # warm caches (site root paths, settings)
            with CaptureQueriesContext(connection) as context:
                response = client.get(path)
            counts[name] = (
                len(context.captured_queries)
                if response.status_code == 200
                else -response.status_code
            )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="a quick run on a small Hub")
    arguments = parser.parse_args()
    os.environ.update(ENV)
    recreate_database()

    import django

    django.setup()
    from django.core.management import call_command

    from bench import seed
    from bench.load import run_load
    from bench.server import gunicorn

    sizes = seed.SMALL if arguments.small else seed.FULL
    table = Table()
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "sizes": sizes.__dict__,
        "figures": table.rows,
    }
    print(f"Base de mesure : {ENV['DATABASE_URL']} — tailles {sizes}", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()

    from directory.services import places_import

    # 5. Directory import: the service against parsing the same file with the csv module alone.
    data = seed.places_csv(sizes.places)
    parse_seconds, _rows = timed(lambda: list(csv.DictReader(io.StringIO(data.decode()))))
    import_seconds, report = timed(places_import, data=data, file_format="csv", source="bench")
    print(f"  import : {report.created} créés, {len(report.rejected)} rejetés", flush=True)
    print(f"{'figure':<50} {'valeur':>10} {'référence':>10} unité    ratio")
    table.add(
        "import annuaire (lignes/s)",
        sizes.places / import_seconds,
        sizes.places / parse_seconds,
        "lignes/s",
        higher_is_better=True,
    )

    seed.users_seed(sizes.users // 10, start=0)
    page_ids = seed.pages_seed(max(2, sizes.pages // 10), start=0)
    seed.sessions_seed(sizes.sessions // 10, page_ids=page_ids, start=0)
    seed.registrations_seed(sizes.registrations // 10, start=0)
    seed.subscribers_seed(sizes.subscribers // 10, start=0)

    from accounts.models import User
    from directory.models import Commune
    from events.models import Session

    user = User.objects.get(email="bench0@exemple.fr")
    session = (
        Session.objects.filter(start__gt=django.utils.timezone.now()).order_by("start").first()
    )
    rennes = Commune.objects.get(insee_code="35238")
    # Searched near the venue of an upcoming training, so the list is not empty at either size.
    training_venue = (
        Session.objects.filter(start__gt=django.utils.timezone.now(), kind=Session.Kind.TRAINING)
        .select_related("venue")
        .first()
        .venue
    )
    paths = {
        "accueil": "/",
        "agenda_filtre": "/agenda/?departement=35",
        "session": f"/agenda/sessions/{session.pk}/",
        "formations_distance": f"/formations/?near={training_venue.postcode}&radius=20",
        "annuaire_proximite": f"/annuaire/?location={rennes.postcodes.split()[0]}&radius=20",
        "mon_espace": "/mon-espace/",
    }
    analyze()
    small_counts = query_counts(paths, user)

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
        "petite_taille": small_counts,
        "grande_taille": large_counts,
        "egales": small_counts == large_counts,
    }
    print(
        f"Requêtes SQL par page (petite → grande) : { {k: (small_counts[k], large_counts[k]) for k in paths} }"
    )

    # 3. Feeds: the whole public .ics from the database against icalendar alone.
    from icalendar import Calendar, Event

    from events.models import Session as SessionModel
    from events.selectors import session_feed_ics, session_queryset

    all_sessions = list(session_queryset())
    build_seconds, _ics = timed(session_feed_ics, sessions=all_sessions, name="Agenda")
    rows = list(SessionModel.objects.values_list("uid", "start", "end", "title"))

    def icalendar_only():
        calendar = Calendar()
        calendar.add("prodid", "-//bench//")
        calendar.add("version", "2.0")
        for uid, start, end, title in rows:
            event = Event()
            event.add("uid", str(uid))
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("summary", title or "Session")
            calendar.add_component(event)
        return calendar.to_ical()

    baseline_seconds, _ = timed(icalendar_only)
    table.add(
        f"flux .ics complet ({len(all_sessions)} sessions), s", build_seconds, baseline_seconds, "s"
    )

    password_user_cookies = {}

    def login_cookie(person) -> str:
        from django.contrib.sessions.backends.db import SessionStore

        store = SessionStore()
        store["_auth_user_id"] = str(person.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = person.get_session_auth_hash()
        store.create()
        return store.session_key

    with gunicorn(ENV, workers=3) as base:
        run_load(f"{base}/", concurrency=2, max_requests=20)  # warm up
        baseline = run_load(
            f"{base}/_bench/baseline/?size=20000", concurrency=4, max_requests=300, max_seconds=15
        )
        for name, path in paths.items():
            if name == "mon_espace":
                password_user_cookies[name] = login_cookie(user)
                variants = {"": {"Cookie": f"sessionid={password_user_cookies[name]}"}}
            else:
                # An anonymous visitor is served from the page cache; a visitor with a session
                # cookie (here one that matches no session) makes the page render every time.
                variants = {" (cache)": {}, " (rendu)": {"Cookie": "sessionid=aucune"}}
            for label, headers in variants.items():
                result = run_load(
                    f"{base}{path}",
                    concurrency=4,
                    max_requests=300,
                    max_seconds=15,
                    headers=headers,
                )
                figure = f"page {name}{label}"
                table.add(f"{figure} p50 (ms)", result.p50_ms, baseline.p50_ms, "ms")
                table.add(f"{figure} p95 (ms)", result.p95_ms, baseline.p95_ms, "ms")
                table.add(
                    f"{figure} débit (req/s)",
                    result.throughput,
                    baseline.throughput,
                    "req/s",
                    higher_is_better=True,
                )
        feed = run_load(f"{base}/agenda/feed.ics", concurrency=4, max_requests=100, max_seconds=20)
        table.add("flux .ics servi depuis le cache p50 (ms)", feed.p50_ms, baseline.p50_ms, "ms")

        # 2. Registration rush: 500 people at once on a 30-seat session, over HTTP.
        from events.services import session_create

        page = SessionModel.objects.first().page
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
        results["rush"] = {
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "errors": errors,
            "statuses": {str(s): statuses.count(s) for s in set(statuses)},
        }
        print(
            f"  ruée : {confirmed} confirmées (30 places), {waitlisted} en liste d'attente, {errors} erreurs"
        )
        table.add(
            "ruée sur 30 places, 500 requêtes (req/s)",
            rush_rate,
            baseline_rate,
            "req/s",
            higher_is_better=True,
        )

    # 4. Newsletter: a real worker on Redis to a local SMTP sink, against a raw smtplib loop.
    from bench import newsletter

    subscribers = sizes.subscribers
    worker_seconds, smtplib_seconds, sent = newsletter.measure(
        {**ENV, "CELERY_BROKER_URL": ENV["REDIS_URL"]}, subscribers=subscribers, departement="35"
    )
    results["newsletter"] = {"subscribers": subscribers, "departement": "35", "sent": sent}
    print(f"  lettre du 35 : {sent} messages envoyés ({subscribers} abonnés en tout)")
    table.add(
        "lettre, messages/s (worker Celery → SMTP)",
        sent / worker_seconds,
        sent / smtplib_seconds,
        "msg/s",
        higher_is_better=True,
    )

    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False, default=str)
    )
    print("Résultats : bench/results/latest.json")


if __name__ == "__main__":
    main()
