"""Celery entry points of the agenda: thin wrappers that load rows by primary key and call a
service. Each one is safe to run twice (a missing row is skipped, a reminder is sent once)."""

import datetime

from django.utils import timezone

from core.tasks import local_task, network_task


@network_task
def registration_notify(registration_pk: int, event: str) -> None:
    """Email a person about their registration (confirmed, waitlisted, promoted, cancelled)."""
    from .models import Registration
    from .services import registration_send_email

    registration = (
        Registration.objects.select_related("user", "session__venue", "session__page")
        .filter(pk=registration_pk)
        .first()
    )
    if registration:
        registration_send_email(registration=registration, event=event)


@local_task
def session_notify(session_pk: int, event: str) -> None:
    """Tell every participant that a session changed or was cancelled."""
    from .models import Session
    from .services import session_notify_participants

    session = Session.objects.filter(pk=session_pk).first()
    if session:
        session_notify_participants(session=session, event=event)


@network_task
def registration_message_send(registration_pk: int, subject: str, message: str, sender_pk):
    """Send one participant a message written by Hub staff to their session."""
    from accounts.models import User

    from .models import Registration
    from .services import registration_message_send as send

    registration = (
        Registration.objects.filter(pk=registration_pk, user__isnull=False)
        .select_related("user", "session__page")
        .first()
    )
    if registration:
        send(
            registration=registration,
            subject=subject,
            message=message,
            sender=User.objects.filter(pk=sender_pk).first() if sender_pk else None,
        )


@local_task
def public_feed_build() -> None:
    """Rebuild the public iCalendar files (one build at a time; see events.public_feed)."""
    from .public_feed import public_feed_build as build

    build()


@network_task
def registration_send_reminder(registration_pk: int) -> None:
    from .models import Registration
    from .services import registration_send_reminder as send

    registration = Registration.objects.filter(pk=registration_pk).first()
    if registration:
        send(registration=registration)


@local_task
def reminders_send_for_tomorrow() -> int:
    """Daily: fan out one reminder task per confirmed person of tomorrow's sessions."""
    from .selectors import registration_list_to_remind

    day = timezone.localdate() + datetime.timedelta(days=1)
    pks = list(registration_list_to_remind(day=day).values_list("pk", flat=True))
    for pk in pks:
        registration_send_reminder.delay(pk)
    return len(pks)
