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
    """Rebuild the public iCalendar files (one build at a time; see events.public_feed). The
    queued flag goes first: a change committed from now on queues another build."""
    from django.core.cache import cache

    from .feeds import QUEUED_KEY
    from .public_feed import public_feed_build as build

    cache.delete(QUEUED_KEY)
    build()


@network_task
def registration_send_reminder(registration_pk: int, kind: str = "j1") -> None:
    from .models import Registration
    from .services import registration_send_reminder as send

    registration = Registration.objects.filter(pk=registration_pk).first()
    if registration:
        send(registration=registration, kind=kind)


def _remind(*, day, kind: str) -> int:
    from .selectors import registration_list_to_remind

    pks = list(registration_list_to_remind(day=day, kind=kind).values_list("pk", flat=True))
    for pk in pks:
        registration_send_reminder.delay(pk, kind)
    return len(pks)


@local_task
def reminders_send_for_tomorrow() -> int:
    """Daily, in the evening: one task per confirmed person of the sessions of tomorrow (J-1)
    and of a week from today (J-7); each page decides which of them go."""
    from .models import ReminderKind

    today = timezone.localdate()
    return _remind(day=today + datetime.timedelta(days=1), kind=ReminderKind.DAY) + _remind(
        day=today + datetime.timedelta(days=7), kind=ReminderKind.WEEK
    )


@local_task
def reminders_send_this_morning() -> int:
    """Daily, early: the morning-of reminder of today's sessions, where their page sends it."""
    from .models import ReminderKind

    return _remind(day=timezone.localdate(), kind=ReminderKind.MORNING)


@network_task
def seat_offer_notify(offer_pk: int) -> None:
    """Email a held seat offer with its « je prends / je laisse » links (once)."""
    from .models import SeatOffer
    from .services import seat_offer_send_email

    offer = SeatOffer.objects.filter(pk=offer_pk).first()
    if offer:
        seat_offer_send_email(offer=offer)


@local_task
def seat_offer_expire(offer_pk: int) -> None:
    """Expire one offer whose time is up and pass its seats to the next (idempotent)."""
    from .models import SeatOffer
    from .services import seat_offer_expire as expire

    offer = SeatOffer.objects.filter(pk=offer_pk).first()
    if offer:
        expire(offer=offer)


@local_task
def seat_offers_expire_due() -> int:
    """Every few minutes: one task per pending offer whose time is up."""
    from .models import SeatOffer

    pks = list(
        SeatOffer.objects.filter(
            status=SeatOffer.Status.PENDING, expires_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    for pk in pks:
        seat_offer_expire.delay(pk)
    return len(pks)
