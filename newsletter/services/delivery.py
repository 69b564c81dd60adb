"""The delivery engine: fan-out, batches that claim each delivery before it leaves, the sweep
that reports what a dead worker left, and the watch that resumes a stalled campaign. Each
subscriber receives a campaign at most once."""

import os
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from anymail.exceptions import AnymailError, AnymailRecipientsRefused

from core.locking import lock_all, lock_one

from .. import rendering
from ..models import Campaign, Delivery, Sender, Subscriber
from ..selectors import campaign_recipients
from ..tasks import campaign_fan_out as campaign_fan_out_task
from ..tasks import campaign_send_batch as campaign_send_batch_task
from ..tasks import campaign_sweep as campaign_sweep_task


def campaign_lock(campaign: Campaign) -> Campaign:
    """Re-read the campaign under a lock: the row that guards its status."""
    return lock_one(Campaign.objects.all(), pk=campaign.pk)


# A fan-out not done this long after the start was lost with its worker (1,000,000 recipients
# take well under a minute).
FAN_OUT_LOST_AFTER = 300
# Subscriber ids per statement: the fan-out holds no list of deliveries, whatever the size.
FAN_OUT_CHUNK = 20_000


def campaign_fan_out(*, campaign: Campaign) -> int:
    """Create one pending delivery per recipient, then start the batches. The subscribers are
    walked by ranges of primary key, each range written by one INSERT … SELECT in its own
    transaction (1,000,000 subscribers: no row comes into Python, no statement reads the
    table beyond its range). Running it twice, or again after a crash mid-way, creates nothing
    more (the campaign+subscriber constraint)."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        if campaign.status not in {Campaign.Status.SENDING, Campaign.Status.PAUSED}:
            return 0
    recipients = campaign_recipients(campaign=campaign)
    bounds = Subscriber.objects.aggregate(first=Min("pk"), last=Max("pk"))
    created, start = 0, bounds["first"]
    while start is not None and start <= bounds["last"]:
        with transaction.atomic():
            created += _deliveries_insert(campaign, recipients, start, start + FAN_OUT_CHUNK)
        start += FAN_OUT_CHUNK
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        campaign.fanned_out_at = campaign.fanned_out_at or timezone.now()
        campaign.save(update_fields=["fanned_out_at"])
        if campaign.status == Campaign.Status.SENDING:
            transaction.on_commit(lambda: enqueue_batches(campaign.pk))
    return created


def _deliveries_insert(campaign: Campaign, recipients, first: int, end: int) -> int:
    """One pending delivery for each of `recipients` whose id is in [first, end) and that has
    none yet, in one statement that reads the subscribers of that range only."""
    in_range = recipients.filter(pk__gte=first, pk__lt=end).order_by().values("pk")
    select, params = in_range.query.sql_with_params()
    table, subscribers = Delivery._meta.db_table, Subscriber._meta.db_table
    with connection.cursor() as cursor:
        # Only the ORM's compiled query and the models' tables go into the text, values are
        # parameters. (SQLite's grammar needs a WHERE between a SELECT and ON CONFLICT.)
        cursor.execute(
            f"INSERT INTO {table} (campaign_id, subscriber_id, status, message_id, error) "  # noqa: S608
            f"SELECT %s, id, %s, '', '' FROM {subscribers} WHERE id >= %s AND id < %s "
            f"AND id IN ({select}) ON CONFLICT (campaign_id, subscriber_id) DO NOTHING",
            [campaign.pk, Delivery.Status.PENDING, first, end, *params],
        )
        return cursor.rowcount


def _batch_size() -> int:
    rate = settings.NEWSLETTER_MESSAGES_PER_MINUTE
    return min(settings.NEWSLETTER_BATCH_SIZE, rate) if rate else settings.NEWSLETTER_BATCH_SIZE


def _batch_interval() -> float:
    """Seconds between two batches of one chain: with throttling, a batch's share of a minute."""
    rate = settings.NEWSLETTER_MESSAGES_PER_MINUTE
    return _batch_size() * 60 / rate if rate else 0


def enqueue_batches(campaign_pk: int) -> None:
    """Start the chains of batches: each batch enqueues the next one while deliveries are
    pending, so a campaign of any size costs a handful of queued tasks. Throttled, one chain
    whose batches start one interval apart keeps the whole send to the rate."""
    pending = Delivery.objects.filter(campaign_id=campaign_pk, status=Delivery.Status.PENDING)
    if not pending.exists():
        campaign_sweep_task.delay(campaign_pk)
        return
    chains = 1 if settings.NEWSLETTER_MESSAGES_PER_MINUTE else settings.NEWSLETTER_PARALLEL_BATCHES
    for _chain in range(chains):
        campaign_send_batch_task.apply_async((campaign_pk,), countdown=0)


def _sender_start(campaign: Campaign) -> Sender:
    return Sender.objects.create(campaign=campaign, worker=f"{socket.gethostname()}:{os.getpid()}")


def _sender_alive_since():
    return timezone.now() - timedelta(seconds=settings.NEWSLETTER_SENDER_GONE_AFTER)


def _deliveries_claim(campaign_pk: int, sender: Sender, size: int) -> list[Delivery]:
    """Take the next `size` pending deliveries and mark them "sending" by this sender,
    committed before anything leaves: from then on nothing sends them again automatically (a
    worker that dies leaves at most this group « incertain »). One wait for the disk per group
    rather than per message. The sender's heartbeat rides on the claims. Concurrent batches
    skip each other's locked rows instead of waiting for them (SQLite serialises the whole
    claim instead)."""
    with transaction.atomic():
        if not Campaign.objects.filter(pk=campaign_pk, status=Campaign.Status.SENDING).exists():
            return []
        candidates = (
            Delivery.objects.filter(campaign_id=campaign_pk, status=Delivery.Status.PENDING)
            .select_related("subscriber")
            .order_by("pk")
        )
        claimed = lock_all(candidates[:size], of=("self",), skip_locked=True)
        if not claimed:
            return []
        now = timezone.now()
        for delivery in claimed:
            delivery.status, delivery.claimed_at = Delivery.Status.SENDING, now
        Delivery.objects.filter(pk__in=[delivery.pk for delivery in claimed]).update(
            status=Delivery.Status.SENDING, claimed_at=now, claimed_by=sender
        )
        if (now - sender.beat_at).total_seconds() >= settings.NEWSLETTER_SENDER_GONE_AFTER / 6:
            sender.beat_at = now
            Sender.objects.filter(pk=sender.pk).update(beat_at=now)
        return claimed


# The server answered "no" to these: the message certainly did not leave.
_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused)


def campaign_send_batch(*, campaign: Campaign) -> int:
    """Send up to one batch of the campaign's pending deliveries over one connection, claimed
    by groups of NEWSLETTER_CLAIM_SIZE committed as "sending" before they leave, then marked
    sent or failed. A message
    whose fate is unknown (connection lost mid-send) is marked uncertain, never retried.
    Not atomic on purpose: every state change must be committed as it happens.

    Raises OSError when the mail server cannot be reached (nothing was claimed then).
    """
    if not Delivery.objects.filter(campaign=campaign, status=Delivery.Status.PENDING).exists():
        return 0
    sender = _sender_start(campaign)
    mailer = mail.mailers.default
    messages = rendering.CampaignMessages(
        campaign=campaign, html=campaign.sent_html, text=campaign.sent_text
    )
    count = 0
    try:
        mailer.open()
        remaining = _batch_size()
        while remaining > 0:
            group = _deliveries_claim(
                campaign.pk, sender, min(settings.NEWSLETTER_CLAIM_SIZE, remaining)
            )
            if not group:
                break
            done = []
            try:
                for delivery in group:
                    reconnect = _delivery_send(mailer, messages, delivery)
                    done.append(delivery)
                    if reconnect:
                        mailer.close()
                        mailer.open()
            finally:
                _deliveries_record(done)
            remaining -= len(group)
            count += len(group)
    finally:
        mailer.close()
        Sender.objects.filter(pk=sender.pk).update(finished_at=timezone.now())
    campaign = campaign_sweep(campaign=campaign)
    if campaign.status != Campaign.Status.SENDING:
        return count
    if campaign.deliveries.filter(status=Delivery.Status.PENDING).exists():
        campaign_send_batch_task.apply_async((campaign.pk,), countdown=_batch_interval())
    elif campaign.deliveries.filter(status=Delivery.Status.SENDING).exists():
        # Another batch's, or a dead worker's: look again once such a sender would count as gone.
        campaign_sweep_task.apply_async(
            (campaign.pk,), countdown=settings.NEWSLETTER_SENDER_GONE_AFTER + 1
        )
    return count


def _delivery_send(mailer, messages: rendering.CampaignMessages, delivery: Delivery) -> bool:
    """Send one claimed delivery and set its outcome on it (sent, failed, or uncertain when the
    connection was lost mid-send); returns whether the connection must be reopened."""
    message = messages.message(delivery.subscriber)
    delivery.status, delivery.sent_at, delivery.error = Delivery.Status.SENT, timezone.now(), ""
    reconnect = False
    try:
        mailer.send_messages([message])
    except _REFUSED as error:
        delivery.status, delivery.sent_at = Delivery.Status.FAILED, None
        delivery.error = _smtp_reason(error)
    except AnymailRecipientsRefused as error:
        delivery.status, delivery.sent_at, delivery.error = Delivery.Status.FAILED, None, error
    except (smtplib.SMTPException, OSError, AnymailError) as error:
        delivery.status, delivery.sent_at = Delivery.Status.UNCERTAIN, None
        delivery.error = _("Connexion perdue pendant l'envoi : %(error)s") % {"error": error}
        reconnect = True
    status = getattr(message, "anymail_status", None)
    delivery.message_id = (status and status.message_id) or message.extra_headers["Message-ID"]
    delivery.error = str(delivery.error)[:500]
    return reconnect


def _deliveries_record(group: list[Delivery]) -> None:
    """Record the outcomes of a group (those sent before an error, if one escaped) in one
    UPDATE from a list of values: the ORM's bulk_update, a CASE per column and row, cost more
    than the messages' sending. On PostgreSQL this commit does not wait
    for the disk: were the database to crash before writing it, the group would stay "sending"
    and end up "incertain", never sent twice; the claim before the send keeps its synchronous
    commit."""
    if not group:
        return
    ops = connection.ops
    # A group sent before an error may have no date at all: PostgreSQL then reads text.
    sent_at = "v.sent_at::timestamptz" if connection.vendor == "postgresql" else "v.sent_at"
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(group))
    params = [
        value
        for delivery in group
        for value in (
            delivery.pk,
            delivery.status,
            ops.adapt_datetimefield_value(delivery.sent_at),
            delivery.message_id,
            delivery.error,
        )
    ]
    table = Delivery._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL synchronous_commit = off")
        # Only placeholders and the model's table go into the text, values are parameters.
        cursor.execute(
            f"WITH v (id, status, sent_at, message_id, error) AS (VALUES {rows}) "  # noqa: S608
            f"UPDATE {table} SET status = v.status, sent_at = {sent_at}, "
            f"message_id = v.message_id, error = v.error FROM v WHERE {table}.id = v.id",
            params,
        )


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
    """Mark as uncertain the deliveries left "sending" by a sender that is gone (finished
    without recording them, or silent for `NEWSLETTER_SENDER_GONE_AFTER`: its worker died), and
    mark the campaign sent once nothing is pending or in flight."""
    campaign = campaign_lock(campaign)
    if campaign.status != Campaign.Status.SENDING or not campaign.fanned_out_at:
        return campaign
    campaign.deliveries.filter(status=Delivery.Status.SENDING).exclude(
        claimed_by__in=_senders_alive(campaign)
    ).update(
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


def _senders_alive(campaign: Campaign):
    return Sender.objects.filter(
        campaign=campaign, finished_at__isnull=True, beat_at__gte=_sender_alive_since()
    )


def campaign_watch(*, campaign: Campaign) -> None:
    """Check of a sending campaign (beat every minute, and a worker that starts): sweep what
    gone senders left, and if deliveries are pending with no live sender and no claim for a
    while (their batch task died with its worker), start the batches again. A worker killed
    mid-send is thus replaced within `NEWSLETTER_SENDER_GONE_AFTER` seconds plus this check's
    period, never by sending twice: the dead one's claims stay uncertain."""
    campaign = campaign_sweep(campaign=campaign)
    if campaign.status != Campaign.Status.SENDING:
        return
    quiet_since = _sender_alive_since() - timedelta(seconds=_batch_interval())
    if not campaign.fanned_out_at:
        if campaign.started_at < timezone.now() - timedelta(seconds=FAN_OUT_LOST_AFTER):
            campaign_fan_out_task.delay(campaign.pk)
    elif (
        campaign.started_at < quiet_since
        and not _senders_alive(campaign).exists()
        and not campaign.deliveries.filter(claimed_at__gte=quiet_since).exists()
    ):
        enqueue_batches(campaign.pk)
