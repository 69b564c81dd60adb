"""Two batches claiming at the same moment, on PostgreSQL with real threads. Both stop between
reading a pending delivery and marking it "sending" (a barrier right after the claim's read),
which is exactly where an unguarded claim lets both take the same row. The barrier is on the
read itself, not on a clock: a batch now renders its messages before its first claim, and a
clock read there met the other thread too early for the race to happen."""

import threading
from collections import Counter
from unittest import mock

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

import pytest

from core.locking import lock_all
from newsletter import services
from newsletter.models import Campaign, Subscriber
from tests.factories.newsletter import CampaignFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # One worker at a time opens its threads' connections: see tests/conftest.py.
    pytest.mark.xdist_group("postgres-threads"),
]


def race_two_batches() -> Counter:
    Subscriber.objects.bulk_create(
        Subscriber(email=f"personne{n}@exemple.fr", status=Subscriber.Status.CONFIRMED)
        for n in range(2)
    )
    campaign = CampaignFactory()
    with mock.patch("newsletter.tasks.campaign_fan_out.delay"):
        services.campaign_send(campaign=campaign)
    with mock.patch("newsletter.tasks.campaign_send_batch.apply_async"):
        services.campaign_fan_out(campaign=campaign)

    received, lock = Counter(), threading.Lock()
    barrier, local = threading.Barrier(2, timeout=300), threading.local()

    def send_messages(self, messages):
        with lock:
            received.update(messages[0].to)
        return 1

    def claim_read_then_meet(*args, **kwargs):
        rows = lock_all(*args, **kwargs)
        if not getattr(local, "met", False):
            local.met = True
            barrier.wait()
        return rows

    def one_message_batch():
        try:
            services.campaign_send_batch(campaign=Campaign.objects.get(pk=campaign.pk))
        finally:
            connection.close()

    with (
        mock.patch.object(EmailBackend, "send_messages", send_messages),
        mock.patch("newsletter.tasks.campaign_sweep.apply_async"),
        mock.patch("newsletter.services.delivery._batch_size", return_value=1),
        mock.patch("newsletter.services.delivery.lock_all", claim_read_then_meet),
    ):
        threads = [threading.Thread(target=one_message_batch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return received


def test_concurrent_claims_take_different_deliveries(postgres_only):
    received = race_two_batches()
    assert sorted(received.values()) == [1, 1]


def test_without_the_lock_the_race_sends_twice(postgres_only, settings):
    settings.MAILLAGE_ROW_LOCKS = False
    received = race_two_batches()
    assert max(received.values()) == 2
