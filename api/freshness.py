"""When did the public data last change? One timestamp in the cache, moved forward by
api.receivers on every save or delete of what the API shows (seats left included, deletions
included), gives every API response an honest `Last-Modified`. With a shared cache (Redis in
production) all processes agree; a lost cache key only makes clients download again."""

import datetime

from django.core.cache import cache
from django.utils import timezone

KEY = "api:data-changed-at"


def data_changed() -> None:
    """Record that public data changed now."""
    cache.set(KEY, timezone.now().replace(microsecond=0), None)


def data_changed_at() -> datetime.datetime:
    """The last recorded change (now, if nothing is recorded: never a stale 304)."""
    return cache.get_or_set(KEY, lambda: timezone.now().replace(microsecond=0), None)
