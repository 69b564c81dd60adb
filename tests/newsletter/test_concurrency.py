"""Two batches claiming at the same moment, on PostgreSQL with real threads. Both stop between
reading a pending delivery and marking it "sending" (a barrier on the claim's clock), which is
exactly where an unguarded claim lets both take the same row."""

import threading
from collections import Counter
from unittest import mock

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

import pytest

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
    barrier, local, real_now = threading.Barrier(2, timeout=300), threading.local(), timezone.now

    def send_messages(self, messages):
        with lock:
            received.update(messages[0].to)
        return 1

    def now_after_meeting():
        # The first clock read of each thread is the claim's: wait there for the other one.
        if not getattr(local, "met", False):
            local.met = True
            barrier.wait()
        return real_now()

    def one_message_batch():
        try:
            services.campaign_send_batch(campaign=Campaign.objects.get(pk=campaign.pk))
        finally:
            connection.close()

    with (
        mock.patch.object(EmailBackend, "send_messages", send_messages),
        mock.patch("newsletter.tasks.campaign_sweep.apply_async"),
        mock.patch("newsletter.services.delivery._batch_size", return_value=1),
        mock.patch("newsletter.services.delivery.timezone.now", now_after_meeting),
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
