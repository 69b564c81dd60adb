"""A campaign's life: send now, schedule, pause, resume, resend, test message."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audit_log
from core.errors import DomainError
from core.mail import build_templated_email

from .. import rendering
from ..models import Campaign, Delivery, Subscriber
from ..selectors import campaign_recipients
from ..tasks import campaign_fan_out as campaign_fan_out_task
from ..tasks import campaign_send_test as campaign_send_test_task
from .delivery import campaign_lock, enqueue_batches
from .subscriptions import clean_email


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


@transaction.atomic
def campaign_send(
    *, campaign: Campaign, by=None, confirmed_recipients: int | None = None
) -> Campaign:
    """Freeze the campaign's content and start the Celery fan-out now; `by`, who sent it, is
    recorded in the campaign's history. `confirmed_recipients`, the number staff were shown
    and confirmed, must still be the number of recipients: a segment that grew or shrank in
    between is shown again rather than sent.

    Raises DomainError: not_draft, empty_campaign, no_recipients, recipients_changed.
    """
    campaign = campaign_lock(campaign)
    _check_sendable(campaign)
    if confirmed_recipients is not None:
        recipients = campaign_recipients(campaign=campaign).count()
        if recipients != confirmed_recipients:
            raise DomainError(
                ngettext(
                    "Le public visé a changé : la lettre partirait maintenant à %(count)s "
                    "personne. Vérifiez et confirmez de nouveau.",
                    "Le public visé a changé : la lettre partirait maintenant à %(count)s "
                    "personnes. Vérifiez et confirmez de nouveau.",
                    recipients,
                )
                % {"count": recipients},
                code="recipients_changed",
            )
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
    campaign = campaign_lock(campaign)
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
    campaign = campaign_lock(campaign)
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
            locked = campaign_lock(campaign)
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
    campaign = campaign_lock(campaign)
    if campaign.status != Campaign.Status.SENDING:
        raise DomainError(_("Cette campagne n'est pas en cours d'envoi."), code="not_sending")
    campaign.status = Campaign.Status.PAUSED
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def campaign_resume(*, campaign: Campaign) -> Campaign:
    """Send what remains of a paused campaign. Raises DomainError: not_paused."""
    campaign = campaign_lock(campaign)
    if campaign.status != Campaign.Status.PAUSED:
        raise DomainError(_("Cette campagne n'est pas en pause."), code="not_paused")
    campaign.status = Campaign.Status.SENDING
    campaign.save(update_fields=["status"])
    transaction.on_commit(lambda: enqueue_batches(campaign.pk))
    return campaign


@transaction.atomic
def campaign_resend_uncertain(*, campaign: Campaign) -> int:
    """Staff's explicit choice to send again the deliveries a dead worker left uncertain (some
    may then receive the campaign twice: that is the choice they make).

    Raises DomainError: no_uncertain, not_sent.
    """
    campaign = campaign_lock(campaign)
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
    transaction.on_commit(lambda: enqueue_batches(campaign.pk))
    return count


def campaign_send_test(*, campaign: Campaign, email: str) -> None:
    """Send the campaign as it is now to one address, marked [Test], with no personal link.

    Raises DomainError: invalid_email, empty_campaign.
    """
    email = clean_email(email)
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
