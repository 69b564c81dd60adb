"""What every change of seats shares: the session row locked first, the seats taken (confirmed
registrations and seats held by pending offers), and notices sent only after commit. The
waiting list is given freed seats by `waitlists.promote_waiting_list`."""

from django.db import transaction
from django.db.models import Sum

from core.locking import lock_one

from ..models import Registration, SeatOffer, Session
from ..notifications import RegistrationNotice


def lock_session(session: Session) -> Session:
    """Re-read the session row under a lock: the row that guards capacity."""
    return lock_one(Session.objects.all(), pk=session.pk)


def confirmed_count(session: Session) -> int:
    return session.registrations.filter(status__in=Registration.SEAT_STATUSES).count()


def held_count(session: Session) -> int:
    """Seats held for the waiting list by pending offers (until taken, left or expired: an
    overdue one is expired by `waitlists.offers_expire_overdue` before seats are counted)."""
    return (
        SeatOffer.objects.filter(session=session, status=SeatOffer.Status.PENDING).aggregate(
            total=Sum("seats")
        )["total"]
        or 0
    )


def seats_taken(session: Session) -> int:
    """What capacity is compared with: confirmed registrations and held seats."""
    return confirmed_count(session) + held_count(session)


def on_commit_notify(registration: Registration, event: RegistrationNotice) -> None:
    from ..tasks import registration_notify as registration_notify_task

    pk, value = registration.pk, event.value
    transaction.on_commit(lambda: registration_notify_task.delay(pk, value))
