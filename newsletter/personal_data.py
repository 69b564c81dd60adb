"""The newsletter's share of a person's data export and account deletion."""

from django.db import transaction

from .models import Subscriber, new_token
from .selectors import subscriber_get_for_user


def export(user) -> dict | None:
    subscriber = subscriber_get_for_user(user=user)
    if subscriber is None:
        return None
    return {
        "email": subscriber.email,
        "nom": subscriber.name,
        "statut": subscriber.get_status_display(),
        "departement": subscriber.departement,
        "thematiques": [theme.name for theme in subscriber.themes.all()],
        "consentement": {
            "donne_le": subscriber.consent_at.isoformat() if subscriber.consent_at else None,
            "origine": subscriber.consent_source,
            "texte_presente": subscriber.consent_text,
        },
        "confirmee_le": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "desinscrite_le": (
            subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None
        ),
        "lettres_recues": subscriber.deliveries.filter(status="sent").count(),
    }


@transaction.atomic
def erase(user) -> None:
    """Anonymise rather than delete: campaign figures keep their counts, nothing identifies the
    person, and the address can never receive anything again."""
    subscriber = subscriber_get_for_user(user=user)
    if subscriber is None:
        return
    subscriber.email = f"supprime-{subscriber.pk}@anonyme.invalid"
    subscriber.name = ""
    subscriber.departement = ""
    subscriber.user = None
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.confirm_token = None
    subscriber.unsubscribe_token = new_token()
    subscriber.confirm_token_expires_at = None
    subscriber.consent_text = ""
    subscriber.consent_source = ""
    subscriber.save()
    subscriber.themes.clear()
    subscriber.deliveries.filter(status="pending").update(status="cancelled")
