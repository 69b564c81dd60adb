"""The sending guarantee, end to end: a real Celery worker on Redis sends a campaign to a real
SMTP server (aiosmtpd, in this process), is killed with SIGKILL in the middle of a batch, and
restarted. No address may receive the campaign twice, every address must end up either
delivered or reported "incertain" to staff, and the restarted worker resumes the campaign on
its own start, NEWSLETTER_SENDER_GONE_AFTER later (the killed batch's task stays with the dead
worker for kombu's hour of visibility timeout: only the recovery can resume the send)."""

import asyncio
import os
import signal
import threading
from collections import Counter
from unittest import mock

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone

import pytest
from aiosmtpd.controller import Controller

from newsletter import services
from newsletter.models import Campaign, Delivery, Subscriber
from newsletter.tasks import campaign_fan_out
from tests.celery_worker import redis_broker, start_worker, stop_worker, wait_ready, wait_until
from tests.factories.newsletter import CampaignFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

# A Redis database of its own: the test empties it before and after.
BROKER_URL = os.environ.get("NEWSLETTER_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
SUBSCRIBERS = 240


class CountingSink:
    """An SMTP server that counts the messages each recipient received. The count is taken as
    soon as the data arrived, before the answer: a worker killed while waiting for it has
    delivered the message without knowing it, the very case that must end up "incertain"."""

    def __init__(self, delay: float):
        self.delay = delay
        self.received: Counter[str] = Counter()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.received.update(envelope.rcpt_tos)
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def total(self) -> int:
        with self._lock:
            return sum(self.received.values())


@pytest.fixture
def broker():
    with redis_broker(BROKER_URL) as app:
        yield app


@pytest.fixture
def smtp_sink(free_tcp_port):
    sink = CountingSink(delay=0.015)
    controller = Controller(sink, hostname="127.0.0.1", port=free_tcp_port)
    controller.start()
    yield sink, free_tcp_port
    controller.stop()


def delivery_counts() -> str:
    return str(dict(Counter(Delivery.objects.values_list("status", flat=True))))


def test_worker_killed_mid_send_never_sends_twice(postgres_only, broker, smtp_sink, tmp_path):
    sink, smtp_port = smtp_sink
    Subscriber.objects.bulk_create(
        Subscriber(email=f"personne{n:03}@exemple.fr", status=Subscriber.Status.CONFIRMED)
        for n in range(SUBSCRIBERS)
    )
    campaign = CampaignFactory()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test_worker",
        "WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
        "CELERY_BROKER_URL": BROKER_URL,
        "WORKER_SMTP_PORT": str(smtp_port),
    }
    log_path = tmp_path / "worker.log"
    workers = []
    with log_path.open("w") as log:
        try:
            workers.append(start_worker(env, log))
            wait_ready(broker, log_path)
            # This process runs Celery eagerly: hand the fan-out to the real worker instead.
            with mock.patch.object(
                campaign_fan_out,
                "delay",
                lambda pk: broker.send_task("newsletter.tasks.campaign_fan_out", args=[pk]),
            ):
                services.campaign_send(campaign=campaign)
            wait_until(
                lambda: sink.total() >= 70, "les premiers messages", log_path, state=delivery_counts
            )
            stop_worker(workers[-1], signal.SIGKILL)
            received_before_restart = sink.total()
            assert received_before_restart < SUBSCRIBERS, "le worker devait mourir en plein envoi"

            workers.append(start_worker(env, log))
            wait_ready(broker, log_path)
            ready_at = timezone.now()
            wait_until(
                lambda: Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT,
                "la fin de l'envoi après redémarrage",
                log_path,
                state=delivery_counts,
            )
        finally:
            for worker in workers:
                stop_worker(worker, signal.SIGKILL)

    statuses = dict(campaign.deliveries.values_list("subscriber__email", "status"))
    log_text = log_path.read_text()
    assert len(statuses) == SUBSCRIBERS, log_text
    assert max(sink.received.values()) == 1, "une adresse a reçu la campagne deux fois"
    assert set(statuses.values()) <= {Delivery.Status.SENT, Delivery.Status.UNCERTAIN}, log_text
    for email, status in statuses.items():
        if status == Delivery.Status.SENT:
            assert sink.received[email] == 1, email
    uncertain = [email for email, status in statuses.items() if status == "uncertain"]
    assert len(uncertain) <= settings.NEWSLETTER_CLAIM_SIZE  # the group in flight at most
    assert sink.total() >= SUBSCRIBERS - len(uncertain)
    resumed_at = campaign.deliveries.filter(claimed_at__gte=ready_at).aggregate(
        first=Min("claimed_at")
    )["first"]
    recovery = (resumed_at - ready_at).total_seconds()
    # The restarted worker resumes on its own start, NEWSLETTER_SENDER_GONE_AFTER (30 s) after
    # it is ready: no beat runs here, and the dead batch's task waits out kombu's hour of
    # visibility. The margin is for a loaded machine; either wrong path takes an hour.
    assert recovery <= 150, f"reprise {recovery:.0f} s après le redémarrage"
