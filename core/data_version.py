"""One number that moves whenever public data changes: the page cache's key, the public .ics
files (rebuilt when it moves) and the API's `Last-Modified` all follow it, so nothing keeps a
list of the models it depends on.

Every model of the project counts, except the ones whose class says `data_version_ignore = True`
(logs and bookkeeping never shown to visitors) and Django's sessions, which change on every
visit; a save that only touches `last_login` does not count either. A new model is therefore
covered the day it is created. Writes that send no signal (`bulk_create`, `QuerySet.update`, raw
SQL) call `data_changed()` themselves.

The bump happens once per transaction, after it commits: bumped earlier, a concurrent reader
could cache the old rows under the new number. Then `core.signals.public_data_changed` tells
what is built ahead of requests. The number lives in the shared cache when every process sees
the same one (Redis, `MAILLAGE_DATA_VERSION_IN_CACHE`), otherwise in one database row, which the
web process and the Celery worker of the embedded setup both see.
"""

import datetime
import time

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .signals import public_data_changed

KEY = "data-version"
CHANGED_AT_KEY = "data-version:changed-at"
BOOKKEEPING_FIELDS = frozenset({"last_login"})


def _in_cache() -> bool:
    return getattr(settings, "MAILLAGE_DATA_VERSION_IN_CACHE", False)


def _now() -> datetime.datetime:
    return timezone.now().replace(microsecond=0)


def _first_version() -> int:
    # Starts from the clock, not 1: a cache that outlives the counter (a reset database, a lost
    # Redis key) never finds entries stored under a number handed out again.
    return time.time_ns() // 1_000_000


def _row():
    from .models import DataVersion

    row = DataVersion.objects.filter(pk=1).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DataVersion.objects.create(pk=1, version=_first_version(), changed_at=_now())
        except IntegrityError:  # another process created it first
            row = DataVersion.objects.get(pk=1)
    return row


def _cached() -> tuple[int, datetime.datetime]:
    values = cache.get_many([KEY, CHANGED_AT_KEY])
    if KEY not in values or CHANGED_AT_KEY not in values:
        cache.add(KEY, _first_version(), timeout=None)
        cache.add(CHANGED_AT_KEY, _now(), timeout=None)
        values = cache.get_many([KEY, CHANGED_AT_KEY])
    return values.get(KEY, 0), values.get(CHANGED_AT_KEY) or _now()


def current() -> int:
    """The number that changes with every committed write of public data."""
    return _cached()[0] if _in_cache() else _row().version


def changed_at() -> datetime.datetime:
    """When public data last changed (to the second; now when nothing is recorded, so a lost
    record never answers a stale 304)."""
    return _cached()[1] if _in_cache() else _row().changed_at


def _bump() -> None:
    if _in_cache():
        try:
            cache.incr(KEY)
        except ValueError:  # the key was lost: start again from the clock
            cache.set(KEY, _first_version(), timeout=None)
        cache.set(CHANGED_AT_KEY, _now(), timeout=None)
    else:
        from .models import DataVersion

        updated = DataVersion.objects.filter(pk=1).update(
            version=F("version") + 1, changed_at=_now()
        )
        if not updated:
            _row()
    public_data_changed.send(sender=None)


class _BumpOnce:
    """The callback of one transaction: registered after each of its writes (so that a savepoint
    rolled back takes only its own registrations with it), run once."""

    def __init__(self):
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            _bump()


def data_changed(*, using: str | None = None) -> None:
    """Public data changed (or will, when the current transaction commits): move the number then,
    once per transaction however many rows were written."""
    connection = transaction.get_connection(using)
    callback = None
    if connection.in_atomic_block:
        # Django keeps the transaction's pending callbacks in `run_on_commit`; the latest
        # registration is near the end.
        callback = next(
            (
                func
                for _savepoints, func, _robust in reversed(connection.run_on_commit)
                if isinstance(func, _BumpOnce) and not func.done
            ),
            None,
        )
    transaction.on_commit(callback or _BumpOnce(), using=using)


def _counts(model) -> bool:
    # Models of another registry (migrations' historical models, their own bookkeeping) are
    # the schema being built, not data anyone reads yet.
    return (
        model._meta.apps is global_apps
        and not getattr(model, "data_version_ignore", False)
        and model._meta.app_label != "sessions"
    )


def _on_save(sender, update_fields=None, using=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    if _counts(sender):
        data_changed(using=using)


def _on_delete(sender, using=None, **kwargs) -> None:
    if _counts(sender):
        data_changed(using=using)


def _on_m2m(sender, instance, action, using=None, **kwargs) -> None:
    if action.startswith("post_") and _counts(type(instance)):
        data_changed(using=using)


def connect_signals() -> None:
    post_save.connect(_on_save, dispatch_uid="core-data-version-save")
    post_delete.connect(_on_delete, dispatch_uid="core-data-version-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="core-data-version-m2m")
