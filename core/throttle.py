"""A fixed-window counter per key in the shared cache, for public pages a script could
hammer (the certificate verification page, with random identifiers)."""

import time

from django.core.cache import cache


def throttle_exceeded(*, key: str, limit: int, seconds: int) -> bool:
    """Count one hit of `key` in the current window of `seconds`; True once past `limit`."""
    window = int(time.time() // seconds)
    name = f"throttle:{key}:{window}"
    cache.add(name, 0, seconds + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, seconds + 1)
        count = 1
    return count > limit
