"""The delivery engine: fan-out, batches that claim each delivery before it leaves, the sweep
that reports what a dead worker left, and the watch that resumes a stalled campaign. Each
subscriber receives a campaign at most once."""

import math
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anymail.exceptions import AnymailError, AnymailRecipientsRefused

from core.locking import lock_all, lock_one

from .. import rendering
from ..models import Campaign, Delivery
from ..selectors import campaign_recipients
from ..tasks import campaign_fan_out as campaign_fan_out_task
from ..tasks import campaign_send_batch as campaign_send_batch_task
from ..tasks import campaign_sweep as campaign_sweep_task


def campaign_lock(campaign: Campaign) -> Campaign:
    """Re-read the campaign under a lock: the row that guards its status."""
    return lock_one(Campaign.objects.all(), pk=campaign.pk)


@transaction.atomic
def campaign_fan_out(*, campaign: Campaign) -> int:
    """Create one pending delivery per recipient, then enqueue the batches. Running it twice
    creates nothing more (the campaign+subscriber constraint)."""
    campaign = campaign_lock(campaign)
    if campaign.status not in {Campaign.Status.SENDING, Campaign.Status.PAUSED}:
        return 0
    recipient_ids = campaign_recipients(campaign=campaign).values_list("pk", flat=True)
    created = Delivery.objects.bulk_create(
        [Delivery(campaign=campaign, subscriber_id=pk) for pk in recipient_ids],
        batch_size=500,
        ignore_conflicts=True,
    )
    campaign.fanned_out_at = campaign.fanned_out_at or timezone.now()
    campaign.save(update_fields=["fanned_out_at"])
    if campaign.status == Campaign.Status.SENDING:
        transaction.on_commit(lambda: enqueue_batches(campaign.pk))
    return len(created)


def _batch_size() -> int:
    rate = settings.NEWSLETTER_MESSAGES_PER_MINUTE
    return min(settings.NEWSLETTER_BATCH_SIZE, rate) if rate else settings.NEWSLETTER_BATCH_SIZE


def enqueue_batches(campaign_pk: int) -> None:
    """One batch task per `batch size` pending deliveries; with throttling, batch i starts
    i × (batch size / rate) minutes from now, so the whole send keeps to the rate."""
    pending = Delivery.objects.filter(campaign_id=campaign_pk, status=Delivery.Status.PENDING)
    size, rate = _batch_size(), settings.NEWSLETTER_MESSAGES_PER_MINUTE
    count = math.ceil(pending.count() / size)
    if not count:
        campaign_sweep_task.delay(campaign_pk)
    for index in range(count):
        countdown = index * size * 60 / rate if rate else 0
        campaign_send_batch_task.apply_async((campaign_pk,), countdown=countdown)


def _delivery_claim(campaign_pk: int) -> Delivery | None:
    """Take the next pending delivery and mark it "sending", committed before anything leaves:
    from then on nothing sends it again automatically. Concurrent batches skip each other's
    locked rows instead of waiting for them (SQLite serialises the whole claim instead)."""
    with transaction.atomic():
        if not Campaign.objects.filter(pk=campaign_pk, status=Campaign.Status.SENDING).exists():
            return None
        candidates = (
            Delivery.objects.filter(campaign_id=campaign_pk, status=Delivery.Status.PENDING)
            .select_related("subscriber")
            .order_by("pk")
        )
        claimed = lock_all(candidates[:1], of=("self",), skip_locked=True)
        if not claimed:
            return None
        [delivery] = claimed
        delivery.status, delivery.claimed_at = Delivery.Status.SENDING, timezone.now()
        Delivery.objects.filter(pk=delivery.pk).update(
            status=delivery.status, claimed_at=delivery.claimed_at
        )
        return delivery


# The server answered "no" to these: the message certainly did not leave.
_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused)


def campaign_send_batch(*, campaign: Campaign) -> int:
    """Send up to one batch of the campaign's pending deliveries over one connection, each
    claimed and committed as "sending" before it leaves, then marked sent or failed. A message
    whose fate is unknown (connection lost mid-send) is marked uncertain, never retried.
    Not atomic on purpose: every state change must be committed as it happens.

    Raises OSError when the mail server cannot be reached (nothing was claimed then).
    """
    if not Delivery.objects.filter(campaign=campaign, status=Delivery.Status.PENDING).exists():
        return 0
    mailer = mail.mailers.default
    mailer.open()
    html, text, count = campaign.sent_html, campaign.sent_text, 0
    try:
        for _index in range(_batch_size()):
            delivery = _delivery_claim(campaign.pk)
            if delivery is None:
                break
            message = rendering.campaign_message(
                campaign=campaign, subscriber=delivery.subscriber, html=html, text=text
            )
            update, reconnect = {"status": Delivery.Status.SENT, "sent_at": timezone.now()}, False
            try:
                mailer.send_messages([message])
            except _REFUSED as error:
                update = {"status": Delivery.Status.FAILED, "error": _smtp_reason(error)}
            except AnymailRecipientsRefused as error:
                update = {"status": Delivery.Status.FAILED, "error": str(error)}
            except (smtplib.SMTPException, OSError, AnymailError) as error:
                update = {
                    "status": Delivery.Status.UNCERTAIN,
                    "error": _("Connexion perdue pendant l'envoi : %(error)s") % {"error": error},
                }
                reconnect = True
            status = getattr(message, "anymail_status", None)
            update["message_id"] = (status and status.message_id) or message.extra_headers[
                "Message-ID"
            ]
            update["error"] = str(update.get("error", ""))[:500]
            _delivery_record(delivery.pk, update)
            if reconnect:
                mailer.close()
                mailer.open()
            count += 1
    finally:
        mailer.close()
    campaign_sweep(campaign=campaign)
    if campaign.deliveries.filter(status=Delivery.Status.SENDING).exists():
        # Maybe a dead worker's: look again once such a record would count as abandoned.
        campaign_sweep_task.apply_async(
            (campaign.pk,), countdown=settings.NEWSLETTER_SENDING_STALE_AFTER + 1
        )
    return count


def _delivery_record(delivery_pk: int, update: dict) -> None:
    """Record the outcome of a send. On PostgreSQL this commit does not wait for the disk:
    were the database to crash before writing it, the delivery would stay "sending" and end up
    "incertain", never sent twice; the claim before the send keeps its synchronous commit."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        Delivery.objects.filter(pk=delivery_pk).update(**update)


def _smtp_reason(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return _("Adresse refusée par le serveur (%(code)s) : %(text)s") % {
            "code": code,
            "text": text.decode(errors="replace") if isinstance(text, bytes) else text,
        }
    return _("Refusé par le serveur : %(error)s") % {"error": error}


@transaction.atomic
def campaign_sweep(*, campaign: Campaign) -> Campaign:
    """Mark as uncertain the deliveries left "sending" longer than any live batch would take
    (a dead worker's), and mark the campaign sent once nothing is pending or in flight."""
    campaign = campaign_lock(campaign)
    if campaign.status != Campaign.Status.SENDING or not campaign.fanned_out_at:
        return campaign
    abandoned = timezone.now() - timedelta(seconds=settings.NEWSLETTER_SENDING_STALE_AFTER)
    campaign.deliveries.filter(status=Delivery.Status.SENDING, claimed_at__lt=abandoned).update(
        status=Delivery.Status.UNCERTAIN,
        error=_(
            "Le processus d'envoi s'est arrêté pendant l'envoi : le message est peut-être parti."
        ),
    )
    unfinished = campaign.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists()
    if not unfinished:
        campaign.status = Campaign.Status.SENT
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["status", "finished_at"])
    return campaign


def campaign_watch(*, campaign: Campaign) -> None:
    """Beat's check of a sending campaign: sweep it, and if pending deliveries made no progress
    for a while (their batch task was lost with a worker), enqueue batches again."""
    campaign = campaign_sweep(campaign=campaign)
    if campaign.status != Campaign.Status.SENDING:
        return
    quiet_since = timezone.now() - timedelta(seconds=settings.NEWSLETTER_SENDING_STALE_AFTER)
    if campaign.started_at > quiet_since:
        return
    if not campaign.fanned_out_at:
        campaign_fan_out_task.delay(campaign.pk)
    elif not campaign.deliveries.filter(claimed_at__gte=quiet_since).exists():
        enqueue_batches(campaign.pk)
