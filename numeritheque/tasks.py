"""Celery wrappers: they take primary keys and call services, and are safe to run twice (each
message is recorded as a BookingNotice before it leaves)."""

import datetime

from core.tasks import local_task, network_task


@network_task
def booking_notify(transition_pk: int) -> None:
    from .models import BookingTransition
    from .services import booking_transition_notify

    transition = BookingTransition.objects.select_related("booking__requester").get(
        pk=transition_pk
    )
    booking_transition_notify(transition=transition)


@network_task
def booking_reminder(booking_pk: int, kind: str, day: str) -> None:
    from .models import Booking
    from .services import booking_reminder_send

    booking_reminder_send(
        booking=Booking.objects.get(pk=booking_pk),
        kind=kind,
        today=datetime.date.fromisoformat(day),
    )


@local_task
def booking_reminders_dispatch() -> None:
    """Daily: one task per reminder due today (pick-up tomorrow, return tomorrow, late)."""
    from django.utils import timezone

    from .selectors import booking_reminders_due

    today = timezone.localdate()
    for booking_pk, kind in booking_reminders_due(today=today):
        booking_reminder.delay(booking_pk, kind, today.isoformat())
