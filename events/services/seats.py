"""What every change of seats shares: the session row locked first, the seats taken (confirmed
registrations and seats held by pending offers), and notices sent only after commit. The
waiting list is given freed seats by `waitlists.promote_waiting_list`."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

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


@dataclass(frozen=True)
class SeatCount:
    taken: int  # confirmed registrations and seats held by pending offers
    overdue: bool  # a pending offer whose time is up (`waitlists.offers_expire_overdue`)
    registration_pk: int | None  # the person's active registration, when asked for one


def _total(queryset, aggregate) -> Coalesce:
    per_session = queryset.order_by().values("session").annotate(total=aggregate)
    return Coalesce(Subquery(per_session.values("total")), 0)


def seat_count(session: Session, *, user=None) -> SeatCount:
    """The seats of `session` in one query, since it runs while the session row is locked
    and every registration of a rush waits for it in turn; with `user`, their active
    registration in the same query. Call it after the lock: a statement begun before it would
    read the rows as they were before the previous holder committed."""
    registrations = Registration.objects.filter(session=OuterRef("pk"))
    pending = SeatOffer.objects.filter(session=OuterRef("pk"), status=SeatOffer.Status.PENDING)
    expressions = {
        "confirmed": _total(
            registrations.filter(status__in=Registration.SEAT_STATUSES), Count("pk")
        ),
        "held": _total(pending, Sum("seats")),
        "overdue": Exists(pending.filter(expires_at__lte=timezone.now())),
    }
    if user is not None:
        active = registrations.filter(user=user, status__in=Registration.ACTIVE_STATUSES)
        expressions["registration_pk"] = Subquery(active.values("pk")[:1])
    row = Session.objects.filter(pk=session.pk).values(**expressions).get()
    return SeatCount(
        taken=row["confirmed"] + row["held"],
        overdue=row["overdue"],
        registration_pk=row.get("registration_pk"),
    )


def seats_taken(session: Session) -> int:
    """What capacity is compared with: confirmed registrations and held seats."""
    return seat_count(session).taken


def on_commit_notify(registration: Registration, event: RegistrationNotice) -> None:
    from ..tasks import registration_notify as registration_notify_task

    pk, value = registration.pk, event.value
    transaction.on_commit(lambda: registration_notify_task.delay(pk, value))
