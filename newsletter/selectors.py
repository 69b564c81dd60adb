"""Reads of the newsletter that views and other apps need."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Campaign, Delivery, Subscriber


def subscriber_get_for_user(*, user) -> Subscriber | None:
    """The subscription linked to the account, or made with its address."""
    return (
        Subscriber.objects.filter(Q(user=user) | Q(email=user.email.lower()))
        .order_by("-user_id")
        .first()
    )


def campaign_stats(*, campaign: Campaign) -> dict:
    """Staff figures of one campaign, in two queries whatever its size."""
    by_status = dict.fromkeys(Delivery.Status.values, 0)
    for row in campaign.deliveries.values("status").annotate(total=Count("pk")):
        by_status[row["status"]] = row["total"]
    recipients = sum(by_status.values())
    done = sum(by_status[s] for s in ("sent", "failed", "uncertain", "cancelled"))
    return {
        **by_status,
        "recipients": recipients,
        "bounced": campaign.deliveries.filter(bounced_at__isnull=False).count(),
        "unsubscribes": Subscriber.objects.filter(unsubscribed_from=campaign).count(),
        "progress": round(100 * done / recipients) if recipients else 0,
    }


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


def campaign_segment_description(*, campaign: Campaign) -> str:
    """The campaign's audience in words, as staff confirm it before sending."""
    themes = [theme.name for theme in campaign.segment_themes.all()] if campaign.pk else []
    parts = []
    if themes:
        parts.append(_("personnes qui suivent : %(themes)s") % {"themes": ", ".join(themes)})
    if campaign.segment_departement:
        parts.append(
            _("du département %(code)s (et celles qui n'en ont pas choisi)")
            % {"code": campaign.segment_departement}
        )
    if not parts:
        return _("toutes les personnes inscrites à la lettre")
    return " ; ".join(parts)


def newsletter_figures(*, start, end) -> dict:
    """Campaigns started from `start` to `end` (dates, inclusive): messages sent, bounces and
    unsubscribes they caused. Opens are not counted: the portal adds no tracking pixel, and
    no ESP reports them to it."""
    import datetime

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    campaigns = Campaign.objects.filter(
        started_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        started_at__lt=datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        ),
    )
    deliveries = Delivery.objects.filter(campaign__in=campaigns.values("pk")).aggregate(
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
    )
    return {
        "campaigns": campaigns.count(),
        **deliveries,
        "opens": None,
        "unsubscribes": Subscriber.objects.filter(
            unsubscribed_from__in=campaigns.values("pk")
        ).count(),
    }


def campaign_list_scheduled() -> list[Campaign]:
    """Campaigns waiting for their send time, soonest first."""
    return list(Campaign.objects.filter(status=Campaign.Status.SCHEDULED).order_by("scheduled_at"))
