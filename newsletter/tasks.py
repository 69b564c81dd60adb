"""Celery wrappers of the newsletter services: they take primary keys, load the rows and call
one service. Each is safe to run twice (a batch only ever claims pending deliveries)."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def subscriber_opt_in_send(subscriber_id: int) -> None:
    from .models import Subscriber
    from .services import subscriber_opt_in_send as send

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber:
        send(subscriber=subscriber)


@shared_task
def campaign_fan_out(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_fan_out as fan_out

    fan_out(campaign=Campaign.objects.get(pk=campaign_id))


# Retried only when the mail server cannot be reached, before anything was claimed.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def campaign_send_batch(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_send_batch as send_batch

    send_batch(campaign=Campaign.objects.get(pk=campaign_id))


@shared_task
def campaign_sweep(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_sweep as sweep

    sweep(campaign=Campaign.objects.get(pk=campaign_id))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def campaign_send_test(campaign_id: int, email: str) -> None:
    from .models import Campaign
    from .services import campaign_test_message_send

    campaign_test_message_send(campaign=Campaign.objects.get(pk=campaign_id), email=email)


@shared_task
def campaign_start_scheduled(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_start_scheduled as start

    start(campaign=Campaign.objects.get(pk=campaign_id))


@shared_task
def campaign_watch(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_watch as watch

    watch(campaign=Campaign.objects.get(pk=campaign_id))


@shared_task
def campaigns_tick() -> None:
    """Every minute (beat): start the due scheduled campaigns, watch the sending ones."""
    from django.utils import timezone

    from .models import Campaign

    due = Campaign.objects.filter(
        status=Campaign.Status.SCHEDULED, scheduled_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    for pk in due:
        campaign_start_scheduled.delay(pk)
    for pk in Campaign.objects.filter(status=Campaign.Status.SENDING).values_list("pk", flat=True):
        campaign_watch.delay(pk)
