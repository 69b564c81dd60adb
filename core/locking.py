"""Row locks for the services that guard a rule (seats left, an item's dates, a proposal's
status, a delivery claimed once): re-read the guarding rows with `select_for_update`, waiting at
most `MAILLAGE_LOCK_TIMEOUT_SECONDS`. A lock still held after that becomes a `DomainError` asking
to try again, rather than a request that hangs until the proxy gives up.

`MAILLAGE_ROW_LOCKS = False` is the one switch for the race tests, which turn it off to show the
double booking or oversell each lock prevents; production never sets it. On SQLite there is no
row lock (Django ignores `select_for_update`): the IMMEDIATE transaction mode serialises writers.
"""

from django.conf import settings
from django.db import OperationalError, connections
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .errors import DomainError

# PostgreSQL's lock_not_available: lock_timeout expired.
LOCK_NOT_AVAILABLE = "55P03"


def _locks_on() -> bool:
    return getattr(settings, "MAILLAGE_ROW_LOCKS", True)


def _locking(queryset: QuerySet, *, of: tuple[str, ...], skip_locked: bool) -> QuerySet:
    if not _locks_on():
        return queryset
    locked = queryset.select_for_update(of=of, skip_locked=skip_locked)
    connection = connections[locked.db]
    if connection.vendor == "postgresql" and not skip_locked:
        with connection.cursor() as cursor:
            # For the rest of the transaction: its later writes wait no longer either.
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{int(settings.MAILLAGE_LOCK_TIMEOUT_SECONDS * 1000)}ms"],
            )
    return locked


def _busy(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE or (
        getattr(cause, "pgcode", None) == LOCK_NOT_AVAILABLE
    )


def _retry_later() -> DomainError:
    return DomainError(
        _("Quelqu'un modifie ces informations au même moment : réessayez dans un instant."),
        code="busy",
    )


def lock_all(
    queryset: QuerySet, *, of: tuple[str, ...] = (), skip_locked: bool = False
) -> list[Model]:
    """Lock and return the rows of `queryset` (order it by primary key so two callers never
    deadlock). Must run inside a transaction; the locks last until it ends.

    Raises DomainError("busy") when another transaction holds them past the lock timeout.
    """
    try:
        return list(_locking(queryset, of=of, skip_locked=skip_locked))
    except OperationalError as error:
        if _busy(error):
            raise _retry_later() from error
        raise


def lock_one(queryset: QuerySet, *, of: tuple[str, ...] = (), **lookup) -> Model:
    """Lock and return the one row of `queryset` matching `lookup` (like `get`).

    Raises the model's DoesNotExist, or DomainError("busy") past the lock timeout.
    """
    try:
        return _locking(queryset, of=of, skip_locked=False).get(**lookup)
    except OperationalError as error:
        if _busy(error):
            raise _retry_later() from error
        raise
