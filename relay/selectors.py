"""Reads of the relay for its admin screens and for the apps above it."""

from django.db.models import QuerySet

from .models import RelayedEvent, RelaySource


def relayed_events_waiting() -> QuerySet[RelayedEvent]:
    """Events that wait for a decision, soonest first, with their source and proposed twin."""
    return (
        RelayedEvent.objects.filter(status=RelayedEvent.Status.PENDING)
        .select_related("source", "duplicate_of__page", "duplicate_of__venue")
        .order_by("start", "pk")
    )


def source_report(*, source: RelaySource) -> dict:
    """The last report with its lists always present (a source never fetched has none)."""
    report = dict(source.report or {})
    for name in ("created", "updated", "cancelled", "pending", "refused"):
        report.setdefault(name, [])
    report.setdefault("unchanged", 0)
    return report
