"""The sync end to end with a real Celery worker on Redis: the partner's feed (a local HTTP
server) is imported, changed, then loses one event and cancels another; the worker fetches on
the beat's dispatch as in production, and the agenda follows each time."""

import datetime
import os

from django.db import connection

import pytest

from events.models import Session
from relay.models import RelaySource
from relay.services import source_create
from tests.celery_worker import redis_broker, start_worker, stop_worker, wait_ready, wait_until
from tests.factories.events import agenda_index

from .conftest import feed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    # The outputs test clears the same Redis database: never at the same time.
    pytest.mark.xdist_group("relay-redis"),
]

BROKER_URL = os.environ.get("REDIS_TEST_URL", "")


@pytest.fixture
def worker(tmp_path, postgres_only):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test_worker",
        "WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
        "CELERY_BROKER_URL": BROKER_URL,
        "WORKER_SMTP_PORT": "9",
        "RELAY_ALLOWED_HOSTS": "127.0.0.1",
        # The feed's dates are moved to next year (below): within the horizon whatever today.
        "RELAY_HORIZON_DAYS": "800",
    }
    log_path = tmp_path / "worker.log"
    with redis_broker(BROKER_URL) as broker, log_path.open("w") as log:
        process = start_worker(env, log)
        try:
            wait_ready(broker, log_path)
            yield broker, log_path
        finally:
            stop_worker(process)


def dispatch(broker, source: RelaySource) -> None:
    """The beat's minute tick, with the source's time come."""
    RelaySource.objects.filter(pk=source.pk).update(next_fetch_at=None)
    broker.send_task("relay.tasks.relay_sources_dispatch")


def next_year_feed() -> bytes:
    """The recorded Mobilizon feed, its 2027 dates moved to next year (the worker runs on the
    real clock)."""
    year = str(datetime.date.today().year + 1).encode()
    return (
        feed("mobilizon_group_export.ics")
        .replace(b"DTSTART:2027", b"DTSTART:" + year)
        .replace(b"DTEND:2027", b"DTEND:" + year)
    )


def test_a_real_worker_keeps_the_agenda_in_sync_with_the_feed(worker, feed_server):
    broker, log_path = worker
    agenda_index()
    route = feed_server.serve("/agenda.ics", next_year_feed())
    source = source_create(url=feed_server.url("/agenda.ics"), kind="ics", publish_directly=True)
    relayed = Session.objects.filter(relayed_from=source.name)

    broker.send_task("relay.tasks.relay_source_fetch", args=[source.pk])
    wait_until(lambda: relayed.count() == 2, "import", log_path)
    atelier = relayed.get(external_uid__startswith="6a4c2f1e")

    route.body = next_year_feed().replace(b"Premiers pas avec", b"Bien commencer avec")
    dispatch(broker, source)
    wait_until(lambda: Session.objects.get(pk=atelier.pk).sequence == 1, "changement", log_path)
    assert "Bien commencer" in Session.objects.get(pk=atelier.pk).title

    head, *events = next_year_feed().split(b"BEGIN:VEVENT")
    kept = [event for event in events if b"Permanence" not in event]
    route.body = b"BEGIN:VEVENT".join([head, *kept]).replace(
        b"STATUS:CONFIRMED", b"STATUS:CANCELLED"
    )
    dispatch(broker, source)
    wait_until(
        lambda: relayed.filter(status=Session.Status.CANCELLED).count() == 2,
        "annulation et disparition",
        log_path,
    )
    assert relayed.count() == 2  # cancelled, never deleted
    source.refresh_from_db()
    assert source.status == RelaySource.Status.OK and source.failures == 0
