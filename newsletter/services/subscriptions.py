"""Subscriptions: double opt-in, consent, confirmation, unsubscribe and suspension."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.departements import departement_normalise
from core.errors import DomainError
from core.locking import lock_all
from core.mail import build_templated_email

from ..models import Campaign, Delivery, Subscriber, new_token
from ..tasks import subscriber_opt_in_send as subscriber_opt_in_send_task

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


def clean_email(email: str) -> str:
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
    email = clean_email(email)
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
        email = clean_email(user.email)
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
