"""Per-account brute-force delay: after a few failed passwords an account waits 1 s, then 2, 4…
(at most 15 minutes) before the next attempt is even checked, whatever the attacker's address.

A per-account lock would let anyone lock a person out; a delay only slows a guesser, and the
person can still sign in at once with a one-time code sent by email (allauth's login by code).
The per-address limit is allauth's, on the real client address (core/client_ip.py).
"""

import hashlib
import math
import time

from django.core.cache import cache

FREE_FAILURES = 5
MAX_DELAY_SECONDS = 15 * 60
# Failures are forgotten after a day without any.
MEMORY_SECONDS = 24 * 3600


def _now() -> float:
    return time.time()


def _key(email: str) -> str:
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    return f"login-delay:{digest}"


def login_delay_remaining(*, email: str) -> int:
    """Seconds before this account's password may be tried again (0: now)."""
    failures, last = cache.get(_key(email), (0, 0.0))
    if failures < FREE_FAILURES:
        return 0
    delay = min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS)
    return max(0, math.ceil(last + delay - _now()))


def login_failure_record(*, email: str) -> None:
    failures, _last = cache.get(_key(email), (0, 0.0))
    cache.set(_key(email), (failures + 1, _now()), MEMORY_SECONDS)


def login_success_record(*, email: str) -> None:
    cache.delete(_key(email))
