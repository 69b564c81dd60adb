"""State changes of the newsletter: subscriptions (double opt-in, consent, unsubscribe,
suspension), campaigns (send, schedule, pause, resume) and the delivery loop that guarantees
each subscriber receives a campaign at most once."""

import csv
import hashlib
import io
import logging
import math
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anymail.exceptions import AnymailError, AnymailRecipientsRefused

from core.audit import audit_log
from core.departements import departement_normalise
from core.errors import DomainError
from core.locking import lock_all, lock_one
from core.mail import build_templated_email

from . import rendering
from .models import Campaign, Delivery, Subscriber, new_token
from .tasks import campaign_fan_out as campaign_fan_out_task
from .tasks import campaign_send_batch as campaign_send_batch_task
from .tasks import campaign_send_test as campaign_send_test_task
from .tasks import campaign_sweep as campaign_sweep_task
from .tasks import subscriber_opt_in_send as subscriber_opt_in_send_task

logger = logging.getLogger(__name__)

CONSENT_TEXT = gettext_lazy(
    "J'accepte de recevoir par courriel la lettre d'information du Hub (agenda, formations, "
    "nouvelles du réseau). Je peux me désinscrire à tout moment par le lien présent dans "
    "chaque message."
)
OPT_IN_VALIDITY = timedelta(days=7)


def _lock_subscriber(**lookup) -> Subscriber | None:
    """Re-read the one subscriber matching `lookup` under a lock (None when there is none)."""
    found = lock_all(Subscriber.objects.filter(**lookup))
    return found[0] if found else None


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("« %(email)s » n'est pas une adresse électronique valide.") % {"email": email},
            code="invalid_email",
        ) from None
    return email


def _clean_departement(departement: str) -> str:
    try:
        return departement_normalise(departement)
    except ValidationError:
        raise DomainError(
            _("« %(value)s » n'est pas un numéro de département.") % {"value": departement},
            code="invalid_departement",
        ) from None


def _cancel_pending_deliveries(subscriber: Subscriber, reason: str) -> None:
    subscriber.deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.CANCELLED, error=reason
    )


@transaction.atomic
def subscriber_subscribe(
    *, email: str, interests: dict | None = None, source: str = "", name: str = ""
) -> Subscriber:
    """Record a subscription request and its consent, and send the confirmation link (valid 7
    days). `interests` is {"themes": [Theme…], "departement": "35"}. An unsubscribed or suspended
    address goes back to "pending": it needs a new opt-in.

    Raises DomainError: invalid_email, invalid_departement, already_confirmed.
    """
    email = _clean_email(email)
    interests = interests or {}
    departement = _clean_departement(interests.get("departement", ""))
    subscriber = _lock_subscriber(email=email)
    if subscriber and subscriber.status == Subscriber.Status.CONFIRMED:
        raise DomainError(
            _("Cette adresse est déjà inscrite à la lettre d'information."),
            code="already_confirmed",
        )
    now = timezone.now()
    subscriber = subscriber or Subscriber(email=email)
    subscriber.name = name.strip() or subscriber.name
    subscriber.departement = departement
    subscriber.status = Subscriber.Status.PENDING
    subscriber.confirm_token = new_token()
    subscriber.confirm_token_expires_at = now + OPT_IN_VALIDITY
    subscriber.consent_at = now
    subscriber.consent_source = source
    subscriber.consent_text = str(CONSENT_TEXT)
    subscriber.full_clean(exclude=["unsubscribe_token"])
    subscriber.save()
    subscriber.themes.set(interests.get("themes", []))
    transaction.on_commit(lambda: subscriber_opt_in_send_task.delay(subscriber.pk))
    return subscriber


@transaction.atomic
def subscriber_subscribe_account(*, user, interests: dict | None = None) -> Subscriber:
    """One-click subscription from Mon espace with the account's address. A verified address
    already proved it belongs to the person, so it is confirmed at once; otherwise the usual
    opt-in is sent.

    Raises DomainError: already_confirmed (and those of subscriber_subscribe).
    """
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()
    if not verified:
        subscriber = subscriber_subscribe(
            email=user.email, interests=interests, source=_("Mon espace"), name=user.get_full_name()
        )
    else:
        email = _clean_email(user.email)
        subscriber = _lock_subscriber(email=email)
        if subscriber and subscriber.status == Subscriber.Status.CONFIRMED:
            raise DomainError(
                _("Cette adresse est déjà inscrite à la lettre d'information."),
                code="already_confirmed",
            )
        now = timezone.now()
        subscriber = subscriber or Subscriber(email=email)
        subscriber.name = user.get_full_name()
        subscriber.departement = user.departement
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirm_token = None
        subscriber.confirm_token_expires_at = None
        subscriber.consent_at = now
        subscriber.confirmed_at = now
        subscriber.consent_source = _("Mon espace (adresse du compte, déjà vérifiée)")
        subscriber.consent_text = str(CONSENT_TEXT)
        subscriber.save()
        subscriber.themes.set((interests or {}).get("themes", user.interests.all()))
    if subscriber.user_id != user.pk:
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    return subscriber


def subscriber_opt_in_send(*, subscriber: Subscriber) -> bool:
    """Email the confirmation link, if the request is still pending (safe to run twice)."""
    if subscriber.status != Subscriber.Status.PENDING or not subscriber.confirm_token:
        return False
    confirm_url = settings.SITE_URL + reverse("newsletter:confirm", args=[subscriber.confirm_token])
    build_templated_email(
        template="newsletter_opt_in", to=[subscriber.email], context={"confirm_url": confirm_url}
    ).send()
    return True


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    """Confirm a pending subscription from its emailed link.

    Raises DomainError: invalid_token (unknown, forged or already used), expired_token.
    """
    subscriber = _lock_subscriber(confirm_token=token or None)
    if subscriber is None or subscriber.status != Subscriber.Status.PENDING:
        raise DomainError(
            _("Ce lien de confirmation n'est pas valide ou a déjà servi."), code="invalid_token"
        )
    if subscriber.confirm_token_expires_at <= timezone.now():
        raise DomainError(
            _(
                "Ce lien de confirmation a expiré (il est valable 7 jours) : inscrivez-vous à nouveau."
            ),
            code="expired_token",
        )
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.confirm_token = None
    subscriber.confirm_token_expires_at = None
    subscriber.save()
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str, campaign: Campaign | None = None) -> Subscriber:
    """Unsubscribe the owner of `token` (the link in every message); `campaign` is the message
    it came from, counted in that campaign's figures. Nothing more is sent to them.

    Raises DomainError: invalid_token, already_unsubscribed.
    """
    subscriber = _lock_subscriber(unsubscribe_token=token or None)
    if subscriber is None:
        raise DomainError(_("Ce lien de désinscription n'est pas valide."), code="invalid_token")
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        raise DomainError(
            _("Cette adresse est déjà désinscrite de la lettre d'information."),
            code="already_unsubscribed",
        )
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.unsubscribed_from = campaign
    subscriber.confirm_token = None
    subscriber.confirm_token_expires_at = None
    subscriber.save()
    _cancel_pending_deliveries(subscriber, _("Désinscription avant l'envoi."))
    return subscriber


@transaction.atomic
def subscriber_suspend(*, email: str, reason: str, message_id: str = "") -> Subscriber | None:
    """Stop sending to an address the mail system rejects (hard bounce) or that complained,
    and mark the delivery the event is about as bounced. Unknown addresses are ignored."""
    subscriber = _lock_subscriber(email=(email or "").lower())
    if subscriber is None:
        return None
    now = timezone.now()
    deliveries = subscriber.deliveries.filter(status=Delivery.Status.SENT, bounced_at=None)
    delivery = (message_id and deliveries.filter(message_id=message_id).first()) or (
        deliveries.order_by("-sent_at").first()
    )
    if delivery:
        delivery.bounced_at = now
        delivery.save(update_fields=["bounced_at"])
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.SUSPENDED
        subscriber.suspended_at = now
        subscriber.suspension_reason = reason[:255]
        subscriber.save()
    _cancel_pending_deliveries(subscriber, _("Adresse suspendue avant l'envoi."))
    return subscriber


@dataclass(frozen=True)
class ImportLine:
    line: int
    email: str
    imported: bool
    reason: str = ""


def _read_csv(data: bytes) -> list[dict]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        # A few bytes mean nothing in Windows-1252 either: not a text file.
        raise DomainError(
            _("Le fichier n'est pas un CSV en UTF-8 ou Windows-1252."), code="malformed_csv"
        )
    if "\x00" in text:
        # No text file holds NUL bytes, and PostgreSQL refuses them.
        raise DomainError(_("Ce fichier n'est pas un CSV (contenu binaire)."), code="malformed_csv")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if "email" not in fields:
        raise DomainError(
            _("Le fichier doit être un CSV dont la première ligne contient une colonne « email »."),
            code="malformed_csv",
        )
    try:
        return [
            {(key or "").strip().lower(): (value or "") for key, value in row.items()}
            for row in reader
        ]
    except csv.Error as error:
        raise DomainError(
            _("Le fichier CSV est illisible : %(error)s") % {"error": error}, code="malformed_csv"
        ) from None


def suppression_address(email: str) -> str:
    """What is left of an unsubscribed address after the retention period: a digest that no
    longer reads as the address but still stops an import from re-subscribing it."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]
    return f"desinscrite-{digest}@anonyme.invalid"


@transaction.atomic
def subscribers_anonymise_unsubscribed_older_than(*, days: int, dry_run: bool = False) -> int:
    """Addresses unsubscribed more than `days` ago keep only their suppression digest and
    dates: name, département, themes, consent text and account link go. Campaign figures keep
    their counts. Idempotent: anonymised rows no longer match. Returns the count."""
    cutoff = timezone.now() - timedelta(days=days)
    old = Subscriber.objects.filter(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at__lt=cutoff
    ).exclude(email__endswith="@anonyme.invalid")
    if dry_run:
        return old.count()
    subscribers = lock_all(old)
    Subscriber.themes.through.objects.filter(subscriber__in=old.values("pk")).delete()
    for subscriber in subscribers:
        subscriber.email = suppression_address(subscriber.email)
        subscriber.name = ""
        subscriber.departement = ""
        subscriber.user = None
        subscriber.consent_source = ""
        subscriber.consent_text = ""
    Subscriber.objects.bulk_update(
        subscribers,
        ["email", "name", "departement", "user", "consent_source", "consent_text"],
        batch_size=500,
    )
    return len(subscribers)


@transaction.atomic
def subscriber_import(*, data: bytes, source: str) -> list[ImportLine]:
    """Import addresses whose owners already consented elsewhere (`source` says where), as
    confirmed subscribers. Invalid addresses and duplicates (in the file or already known, in
    any status: an unsubscribed person is never re-subscribed by an import) are reported line
    by line and change nothing.

    Raises DomainError: missing_source, malformed_csv (nothing imported).
    """
    source = source.strip()
    if not source:
        raise DomainError(
            _("Indiquez où et comment ces personnes ont donné leur consentement."),
            code="missing_source",
        )
    rows = _read_csv(data)
    emails = [row.get("email", "").strip().lower() for row in rows]
    suppressed = {suppression_address(email): email for email in emails}
    known = {
        suppressed.get(email, email): status
        for email, status in Subscriber.objects.filter(
            email__in=emails + list(suppressed)
        ).values_list("email", "status")
    }
    statuses = dict(Subscriber.Status.choices)
    now = timezone.now()
    report, seen, new = [], set(), []
    for number, row in enumerate(rows, start=2):
        raw = row.get("email", "").strip()
        try:
            email = _clean_email(raw)
        except DomainError as error:
            report.append(ImportLine(number, raw, False, error.message))
            continue
        if email in seen:
            report.append(
                ImportLine(
                    number, email, False, _("Doublon : déjà présente plus haut dans le fichier.")
                )
            )
            continue
        seen.add(email)
        if email in known:
            report.append(
                ImportLine(
                    number,
                    email,
                    False,
                    _("Déjà connue (%(status)s) : laissée telle quelle.")
                    % {"status": statuses[known[email]].lower()},
                )
            )
            continue
        new.append(
            Subscriber(
                email=email,
                name=row.get("nom", row.get("name", "")).strip()[:150],
                status=Subscriber.Status.CONFIRMED,
                consent_at=now,
                confirmed_at=now,
                consent_source=_("Import : %(source)s") % {"source": source[:180]},
                consent_text=_(
                    "Consentement recueilli hors du portail (%(source)s), déclaré par l'équipe "
                    "du Hub lors de l'import."
                )
                % {"source": source},
            )
        )
        report.append(ImportLine(number, email, True))
    Subscriber.objects.bulk_create(new)
    return report


def campaign_recipients(*, campaign: Campaign):
    """Confirmed subscribers in the campaign's segment (unsubscribed and suspended excluded)."""
    recipients = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if campaign.pk and campaign.segment_themes.exists():
        recipients = recipients.filter(
            pk__in=Subscriber.objects.filter(themes__in=campaign.segment_themes.all()).values("pk")
        )
    if campaign.segment_departement:
        recipients = recipients.filter(
            Q(departement=campaign.segment_departement) | Q(departement="")
        )
    return recipients


def _check_sendable(campaign: Campaign) -> None:
    if campaign.status not in {Campaign.Status.DRAFT, Campaign.Status.SCHEDULED}:
        raise DomainError(
            _("Cette campagne a déjà été envoyée ou est en cours d'envoi."), code="not_draft"
        )
    if not len(campaign.body):
        raise DomainError(
            _("La campagne est vide : ajoutez du contenu avant de l'envoyer."),
            code="empty_campaign",
        )
    if not campaign_recipients(campaign=campaign).exists():
        raise DomainError(
            _("Aucune personne inscrite ne correspond au public visé par cette campagne."),
            code="no_recipients",
        )


def _lock(campaign: Campaign) -> Campaign:
    return lock_one(Campaign.objects.all(), pk=campaign.pk)


@transaction.atomic
def campaign_send(*, campaign: Campaign, by=None) -> Campaign:
    """Freeze the campaign's content and start the Celery fan-out now; `by`, who sent it, is
    recorded in the campaign's history.

    Raises DomainError: not_draft, empty_campaign, no_recipients.
    """
    campaign = _lock(campaign)
    _check_sendable(campaign)
    campaign.sent_html = rendering.body_html(campaign)
    campaign.sent_text = rendering.html_to_text(campaign.sent_html)
    campaign.status = Campaign.Status.SENDING
    campaign.started_at = timezone.now()
    campaign.last_error = ""
    campaign.save()
    if by is not None:
        audit_log(instance=campaign, action="newsletter.campaign_send", user=by)
    transaction.on_commit(lambda: campaign_fan_out_task.delay(campaign.pk))
    return campaign


@transaction.atomic
def campaign_schedule(*, campaign: Campaign, when: datetime) -> Campaign:
    """Have Celery beat start the send at `when`.

    Raises DomainError: schedule_in_past, not_draft, empty_campaign, no_recipients.
    """
    campaign = _lock(campaign)
    if when <= timezone.now():
        raise DomainError(
            _("La date d'envoi est déjà passée : choisissez une date à venir."),
            code="schedule_in_past",
        )
    _check_sendable(campaign)
    campaign.status = Campaign.Status.SCHEDULED
    campaign.scheduled_at = when
    campaign.last_error = ""
    campaign.save()
    return campaign


@transaction.atomic
def campaign_unschedule(*, campaign: Campaign) -> Campaign:
    """Put a scheduled campaign back to draft. Raises DomainError: not_scheduled."""
    campaign = _lock(campaign)
    if campaign.status != Campaign.Status.SCHEDULED:
        raise DomainError(_("Cette campagne n'est pas programmée."), code="not_scheduled")
    campaign.status = Campaign.Status.DRAFT
    campaign.scheduled_at = None
    campaign.save()
    return campaign


def campaign_start_scheduled(*, campaign: Campaign) -> Campaign:
    """Start a due scheduled campaign (beat). A refusal at that moment (nobody left in the
    segment…) puts it back to draft with the reason, for staff to see."""
    try:
        with transaction.atomic():
            locked = _lock(campaign)
            if locked.status != Campaign.Status.SCHEDULED or locked.scheduled_at > timezone.now():
                return locked
            return campaign_send(campaign=locked)
    except DomainError as error:
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SCHEDULED).update(
            status=Campaign.Status.DRAFT, last_error=str(error.message)[:255]
        )
        return Campaign.objects.get(pk=campaign.pk)


@transaction.atomic
def campaign_pause(*, campaign: Campaign) -> Campaign:
    """Stop claiming new deliveries; the ones in flight finish. Raises DomainError: not_sending."""
    campaign = _lock(campaign)
    if campaign.status != Campaign.Status.SENDING:
        raise DomainError(_("Cette campagne n'est pas en cours d'envoi."), code="not_sending")
    campaign.status = Campaign.Status.PAUSED
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def campaign_resume(*, campaign: Campaign) -> Campaign:
    """Send what remains of a paused campaign. Raises DomainError: not_paused."""
    campaign = _lock(campaign)
    if campaign.status != Campaign.Status.PAUSED:
        raise DomainError(_("Cette campagne n'est pas en pause."), code="not_paused")
    campaign.status = Campaign.Status.SENDING
    campaign.save(update_fields=["status"])
    transaction.on_commit(lambda: _enqueue_batches(campaign.pk))
    return campaign


@transaction.atomic
def campaign_resend_uncertain(*, campaign: Campaign) -> int:
    """Staff's explicit choice to send again the deliveries a dead worker left uncertain (some
    may then receive the campaign twice: that is the choice they make).

    Raises DomainError: no_uncertain, not_sent.
    """
    campaign = _lock(campaign)
    if campaign.status not in {Campaign.Status.SENDING, Campaign.Status.SENT}:
        raise DomainError(
            _("Attendez la fin de l'envoi, ou reprenez-le, avant de renvoyer."), code="not_sent"
        )
    count = campaign.deliveries.filter(
        status=Delivery.Status.UNCERTAIN, subscriber__status=Subscriber.Status.CONFIRMED
    ).update(status=Delivery.Status.PENDING, error="", claimed_at=None)
    if not count:
        raise DomainError(_("Aucun envoi incertain à renvoyer."), code="no_uncertain")
    campaign.status = Campaign.Status.SENDING
    campaign.finished_at = None
    campaign.save(update_fields=["status", "finished_at"])
    transaction.on_commit(lambda: _enqueue_batches(campaign.pk))
    return count


def campaign_send_test(*, campaign: Campaign, email: str) -> None:
    """Send the campaign as it is now to one address, marked [Test], with no personal link.

    Raises DomainError: invalid_email, empty_campaign.
    """
    email = _clean_email(email)
    if not len(campaign.body):
        raise DomainError(
            _("La campagne est vide : ajoutez du contenu avant de l'envoyer."),
            code="empty_campaign",
        )
    transaction.on_commit(lambda: campaign_send_test_task.delay(campaign.pk, email))


def campaign_test_message_send(*, campaign: Campaign, email: str) -> None:
    """Build and send the test message (the task's body)."""
    html = rendering.body_html(campaign)
    build_templated_email(
        template="newsletter_campaign",
        to=[email],
        context={
            "campaign": campaign,
            "test": True,
            "body_html": html,
            "body_text": rendering.html_to_text(html),
            "unsubscribe_url": rendering.archive_url(campaign),
            "archive_url": rendering.archive_url(campaign),
        },
    ).send()


@transaction.atomic
def campaign_fan_out(*, campaign: Campaign) -> int:
    """Create one pending delivery per recipient, then enqueue the batches. Running it twice
    creates nothing more (the campaign+subscriber constraint)."""
    campaign = _lock(campaign)
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
        transaction.on_commit(lambda: _enqueue_batches(campaign.pk))
    return len(created)


def _batch_size() -> int:
    rate = settings.NEWSLETTER_MESSAGES_PER_MINUTE
    return min(settings.NEWSLETTER_BATCH_SIZE, rate) if rate else settings.NEWSLETTER_BATCH_SIZE


def _enqueue_batches(campaign_pk: int) -> None:
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
    campaign = _lock(campaign)
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
        _enqueue_batches(campaign.pk)
