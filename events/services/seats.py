"""What every change of seats shares: the session row locked first, the confirmed count, the
waiting list promoted in order, and notices sent only after commit."""

from django.db import transaction
from django.utils import timezone

from core.locking import lock_one

from ..models import Registration, Session
from ..notifications import RegistrationNotice


def lock_session(session: Session) -> Session:
    """Re-read the session row under a lock: the row that guards capacity."""
    return lock_one(Session.objects.all(), pk=session.pk)


def confirmed_count(session: Session) -> int:
    return session.registrations.filter(status__in=Registration.SEAT_STATUSES).count()


def on_commit_notify(registration: Registration, event: RegistrationNotice) -> None:
    from ..tasks import registration_notify as registration_notify_task

    pk, value = registration.pk, event.value
    transaction.on_commit(lambda: registration_notify_task.delay(pk, value))


def promote_waiting_list(session: Session) -> list[Registration]:
    """Confirm waitlisted people, first come first served, while seats remain. Call it with the
    session row locked."""
    if session.is_cancelled or session.start <= timezone.now():
        return []
    waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    if session.capacity is not None:
        waiting = waiting[: max(session.capacity - confirmed_count(session), 0)]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        on_commit_notify(registration, RegistrationNotice.PROMOTED)
    return promoted
