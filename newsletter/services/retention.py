"""What remains of unsubscribed addresses after the retention period."""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.locking import lock_all

from ..models import Subscriber


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
