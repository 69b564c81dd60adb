import threading
from collections import Counter
from unittest import mock

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

import pytest

from newsletter import services
from newsletter.models import Campaign, Delivery, Subscriber
from tests.factories.newsletter import CampaignFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_batches_never_send_a_delivery_twice(postgres_only, settings):
    settings.NEWSLETTER_BATCH_SIZE = 100
    Subscriber.objects.bulk_create(
        Subscriber(email=f"personne{n}@exemple.fr", status=Subscriber.Status.CONFIRMED)
        for n in range(60)
    )
    campaign = CampaignFactory()
    with mock.patch("newsletter.services.campaign_fan_out_task.delay"):
        services.campaign_send(campaign=campaign)
    with mock.patch("newsletter.services.campaign_send_batch_task.apply_async"):
        services.campaign_fan_out(campaign=campaign)
    received, lock = Counter(), threading.Lock()

    def send_messages(self, messages):
        with lock:
            received.update(messages[0].to)
        return 1

    barrier = threading.Barrier(4)

    def batch():
        barrier.wait()
        try:
            services.campaign_send_batch(campaign=Campaign.objects.get(pk=campaign.pk))
        finally:
            connection.close()

    with (
        mock.patch.object(EmailBackend, "send_messages", send_messages),
        mock.patch("newsletter.services.campaign_sweep_task.apply_async"),
    ):
        threads = [threading.Thread(target=batch) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(received) == 60
    assert max(received.values()) == 1
    assert set(campaign.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
