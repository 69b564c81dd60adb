"""Celery wrappers of the newsletter services: they take primary keys, load the rows and call
one service. Each is safe to run twice (a batch only ever claims pending deliveries)."""

from django.conf import settings

from celery.signals import worker_ready

from core.tasks import local_task, network_task


@network_task
def subscriber_opt_in_send(subscriber_id: int) -> None:
    from .models import Subscriber
    from .services import subscriber_opt_in_send as send

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber:
        send(subscriber=subscriber)


@local_task
def campaign_fan_out(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_fan_out as fan_out

    fan_out(campaign=Campaign.objects.get(pk=campaign_id))


@network_task
def campaign_send_batch(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_send_batch as send_batch

    send_batch(campaign=Campaign.objects.get(pk=campaign_id))


@local_task
def campaign_sweep(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_sweep as sweep

    sweep(campaign=Campaign.objects.get(pk=campaign_id))


@network_task
def campaign_send_test(campaign_id: int, email: str) -> None:
    from .models import Campaign
    from .services import campaign_test_message_send

    campaign_test_message_send(campaign=Campaign.objects.get(pk=campaign_id), email=email)


@local_task
def campaign_start_scheduled(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_start_scheduled as start

    start(campaign=Campaign.objects.get(pk=campaign_id))


@local_task
def campaign_watch(campaign_id: int) -> None:
    from .models import Campaign
    from .services import campaign_watch as watch

    watch(campaign=Campaign.objects.get(pk=campaign_id))


@local_task
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


@worker_ready.connect(dispatch_uid="newsletter_campaigns_recover")
def campaigns_recover_on_start(sender, **kwargs) -> None:
    """A worker that starts, maybe in place of one that was killed mid-send, watches the sending
    campaigns at once and again once the dead one's batches count as gone: the campaign resumes
    within `NEWSLETTER_SENDER_GONE_AFTER` seconds, without waiting for beat."""
    campaigns_tick.delay()
    campaigns_tick.apply_async(countdown=settings.NEWSLETTER_SENDER_GONE_AFTER + 1)
