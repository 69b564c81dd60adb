"""`make bench ARGS=--scale`: ten times the Hub, for the two figures whose cost grows with the
data. Seeds 200,000 upcoming sessions and 1,000,000 subscribers by COPY, then runs each job in
a process of its own, so that its peak memory is its own:

    .venv/bin/python bench/scale.py ics            (the public feed build)
    .venv/bin/python bench/scale.py fanout <pk>    (a campaign's fan-out)

each printing {"seconds": …, "peak_mb": …}."""

import contextlib
import datetime
import json
import random
import resource
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SESSIONS = 200_000
SUBSCRIBERS = 1_000_000


def _copy(table: str, columns: list[str], rows) -> None:
    from django.db import connection, transaction

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def seed(*, page_ids: list[int], sessions: int = SESSIONS, subscribers: int = SUBSCRIBERS):
    from django.db import connection
    from django.utils import timezone

    from directory.models import Place
    from trainings.models import TrainingPage

    venues = list(Place.objects.order_by("pk").values_list("pk", "departement")[:2_000])
    trainings = set(TrainingPage.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
    rng = random.Random(10)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    def session_rows():
        for _n in range(sessions):
            venue_id, departement = rng.choice(venues)
            page_id = rng.choice(page_ids)
            start = now + datetime.timedelta(hours=rng.randint(1, 24 * 365))
            yield (
                page_id, "", "training" if page_id in trainings else "conference", start,
                start + datetime.timedelta(hours=3), venue_id, "", "", rng.choice([12, 20, None]),
                True, "", "scheduled", "", 0, uuid.uuid4(), departement, now, now, "", "", "",
            )  # fmt: skip

    _copy(
        "events_session",
        [
            "page_id",
            "title",
            "kind",
            "start",
            '"end"',
            "venue_id",
            "outside_location",
            "online_url",
            "capacity",
            "waiting_list_enabled",
            "external_registration_url",
            "status",
            "cancel_reason",
            "sequence",
            "uid",
            "departement",
            "created_at",
            "updated_at",
            "description",
            "external_uid",
            "relayed_from",
        ],
        session_rows(),
    )
    departements = ["35", "29", "22", "56"]

    def subscriber_rows():
        for n in range(subscribers):
            token, departement = uuid.uuid4().hex, departements[n % 4]
            yield (f"echelle{n}@exemple.fr", "", departement, "confirmed", token, "bench", "")

    _copy(
        "newsletter_subscriber",
        [
            "email",
            "name",
            "departement",
            "status",
            "unsubscribe_token",
            "consent_source",
            "consent_text",
            "created_at",
            "confirmed_at",
            "suspension_reason",
        ],
        (row + (now, now, "") for row in subscriber_rows()),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _peak_mb() -> float:
    """This process's own peak (VmHWM). Linux keeps in ru_maxrss, across exec, the peak of the
    process it was forked from: the seeding parent's ~220 MB were charged to each job."""
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(function) -> dict:
    """Wall and CPU seconds of this process (the CPU figure reads through a loaded machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "peak_mb": _peak_mb(),
        "count": result,
    }


def job_ics() -> dict:
    """The first build writes every session's event (sessions seeded by COPY have none); the
    one timed is the next build after 100 sessions changed, as every build after a change on a
    live site. Both are reported; the peak is the process's over both."""
    from django.urls import reverse
    from django.utils import timezone

    from events.models import Session
    from events.public_feed import public_feed_write

    reverse("events:session_detail", kwargs={"pk": 1})  # a worker has its URLs loaded already
    cold = _timed(public_feed_write)
    changed = Session.objects.order_by("start").values("pk")[:100]
    Session.objects.filter(pk__in=changed).update(
        title="Intitulé changé", updated_at=timezone.now()
    )
    return {**_timed(public_feed_write), "cold_seconds": round(cold["seconds"], 2)}


def job_fanout(campaign_pk: int) -> dict:
    from newsletter.models import Campaign
    from newsletter.services import campaign_fan_out

    campaign = Campaign.objects.get(pk=campaign_pk)
    return _timed(lambda: campaign_fan_out(campaign=campaign))


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "ics":
        print(json.dumps(job_ics()))
    else:
        print(json.dumps(job_fanout(int(sys.argv[2]))))
