"""Events from the email service provider (through django-anymail's webhooks): a hard bounce or
a complaint suspends the address; a message to the unsubscribe mailbox unsubscribes."""

import re

from django.dispatch import receiver
from django.utils.translation import gettext as _

from anymail.signals import EventType, inbound, tracking

from core.errors import DomainError

_TOKEN_IN_SUBJECT = re.compile(r"desinscription\s+(\S+)", re.IGNORECASE)


@receiver(tracking, dispatch_uid="newsletter_suspend_on_bounce")
def suspend_on_bounce_or_complaint(sender, event, esp_name, **kwargs):
    from .services import subscriber_suspend

    reasons = {
        EventType.BOUNCED: _("Adresse rejetée par le serveur de destination (%(esp)s)"),
        EventType.COMPLAINED: _("Signalé comme indésirable par la personne (%(esp)s)"),
    }
    if event.event_type not in reasons or not event.recipient:
        return
    reason = reasons[event.event_type] % {"esp": esp_name}
    if event.mta_response:
        reason = f"{reason} : {event.mta_response}"
    subscriber_suspend(email=event.recipient, reason=reason, message_id=event.message_id or "")


@receiver(inbound, dispatch_uid="newsletter_unsubscribe_by_mail")
def unsubscribe_by_mail(sender, event, esp_name, **kwargs):
    """The mailto of List-Unsubscribe: its subject carries the subscriber's token."""
    from .services import subscriber_unsubscribe

    match = _TOKEN_IN_SUBJECT.search((event.message and event.message.subject) or "")
    if match:
        try:
            subscriber_unsubscribe(token=match.group(1))
        except DomainError:
            return
