"""The measuring instruments of bench/run.py: a timer, the results table (rewritten after every
figure so that a run cut short keeps what it measured), SQL query counts per page, rendered and
cold-feed timings under load, and the `--scale` figures run each in a process of their own."""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


class Table:
    """The figures; the results file is rewritten after each one, so that a run cut short on
    a loaded machine still leaves what it measured."""

    def __init__(self):
        self.rows: list[dict] = []
        self.results: dict = {}
        self.began = time.perf_counter()

    def add(
        self,
        figure_id: str,
        value: float,
        baseline: float,
        unit: str,
        *,
        goal: float | None = None,
        higher_is_better: bool = False,
        baseline_name: str = "",
        **extra,
    ) -> dict:
        """`higher_is_better`: a throughput, whose ratio is baseline ÷ value."""
        ratio = (
            (baseline / value if higher_is_better else value / baseline)
            if baseline and value
            else float("nan")
        )
        row = {
            "id": figure_id,
            "value": round(value, 2),
            "baseline": round(baseline, 2),
            "baseline_name": baseline_name,
            "ratio": round(ratio, 2),
            "goal": goal,
            "unit": unit,
            "met": None if goal is None else bool(ratio <= goal),
            **extra,
        }
        self.rows.append(row)
        write(self.results, self.began)
        verdict = "" if goal is None else ("ok" if row["met"] else f"> {goal}")
        print(
            f"  {figure_id:<42} {value:>10.2f} {baseline:>10.2f} {unit:<8} ×{ratio:<6.2f} {verdict}",
            flush=True,
        )
        return row


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


def page_paths() -> dict[str, str]:
    """The measured pages' paths on the seeded Hub: the agenda filtered on a département, the
    first upcoming session, the catalogue and the directory within 20 km (the catalogue near
    the venue of an upcoming training, so that its list is not empty at either size)."""
    from django.utils import timezone

    from directory.models import Commune
    from events.models import Session

    upcoming = Session.objects.filter(start__gt=timezone.now()).order_by("start", "pk")
    session = upcoming.first()
    training_venue = (
        upcoming.filter(kind=Session.Kind.TRAINING).select_related("venue").first().venue
    )
    rennes = Commune.objects.get(insee_code="35238")
    return {
        "accueil": "/",
        "agenda_filtre": "/agenda/?departement=35",
        "session": f"/agenda/sessions/{session.pk}/",
        "formations_distance": f"/formations/?near={training_venue.postcode}&radius=20",
        "annuaire_proximite": f"/annuaire/?location={rennes.postcodes.split()[0]}&radius=20",
        "mon_espace": "/mon-espace/",
    }


PAGES = ("accueil", "agenda_filtre", "session", "formations_distance", "annuaire_proximite")
RENDER = {"Cookie": "sessionid=aucune"}  # a session cookie matching no session: no page cache


def login_cookie(person) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(person.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = person.get_session_auth_hash()
    store.create()
    return store.session_key


def rendered_p95(base: str, paths: dict, cookie: str) -> dict[str, float]:
    """p95 of every page rendered at each request (mon_espace signed in), and `floor_page`."""
    from bench.load import run_load

    results = {}
    for name, path in {**paths, "floor_page": "/plancher/"}.items():
        headers = {"Cookie": f"sessionid={cookie}"} if name == "mon_espace" else RENDER
        result = run_load(
            f"{base}{path}", concurrency=4, max_requests=300, max_seconds=15, headers=headers
        )
        results[name] = result.p95_ms
    return results


def feed_cold(env: dict, base: str) -> tuple[float, float]:
    """p95 of 8 concurrent feed requests while a worker rebuilds it (right after a change), and
    p95 of the same requests when nothing is being built."""
    import subprocess

    from bench.load import run_load

    url = f"{base}/agenda/feed.ics"
    cached = run_load(url, concurrency=8, max_requests=200, max_seconds=20)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from events.public_feed import public_feed_build; public_feed_build()",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    latencies = []
    while worker.poll() is None:
        result = run_load(url, concurrency=8, max_requests=80, max_seconds=3)
        latencies += result.latencies
    worker.wait()
    from bench.load import LoadResult

    return LoadResult(latencies=latencies).p95_ms, cached.p95_ms


def scale(table: Table, env: dict) -> dict:
    """--scale: the two figures whose cost grows with the data, ten times the Hub."""
    import subprocess

    from django.core.management import call_command

    from bench import scale as scaling
    from bench import seed
    from directory.services import places_import
    from newsletter.models import Campaign
    from portal.celery import app

    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    places_import(data=seed.places_csv(2_000), file_format="csv", source="bench")
    page_ids = seed.pages_seed(200, start=0)
    started = time.perf_counter()
    scaling.seed(page_ids=page_ids)
    print(f"  amorçage par COPY : {time.perf_counter() - started:.0f} s", flush=True)

    def job(*arguments) -> dict:
        output = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "scale.py"), *arguments],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(output.stdout.strip().splitlines()[-1])

    ics = job("ics")
    row = table.add(
        "scale.ics_200k", ics["seconds"], 10, "s", goal=1.0, baseline_name="goal_seconds",
        peak_mb=round(ics["peak_mb"]), peak_goal_mb=300, sessions=ics["count"],
        cpu_seconds=ics["cpu_seconds"], cold_seconds=ics["cold_seconds"],
    )  # fmt: skip
    row["met"] = row["met"] and row["peak_mb"] <= row["peak_goal_mb"]
    campaign = Campaign.objects.create(
        subject="Lettre à l'échelle",
        body=[("paragraph", "<p>Les prochaines formations du Hub.</p>")],
        status=Campaign.Status.SENDING,
    )
    fanout = job("fanout", str(campaign.pk))
    app.control.purge()
    row = table.add(
        "scale.fanout_1m", fanout["seconds"], 120, "s", goal=1.0, baseline_name="goal_seconds",
        peak_mb=round(fanout["peak_mb"]), peak_goal_mb=200, deliveries=fanout["count"],
        cpu_seconds=fanout["cpu_seconds"],
    )  # fmt: skip
    row["met"] = row["met"] and row["peak_mb"] <= row["peak_goal_mb"]
    return {"sessions": scaling.SESSIONS, "subscribers": scaling.SUBSCRIBERS}


def write(results: dict, began: float) -> None:
    results["duration_s"] = round(time.perf_counter() - began)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    target = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results" / "latest.json"))
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
