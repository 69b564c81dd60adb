"""The security probe's settings (bench/probe.py): production's, served on loopback without TLS
(so the cookies travel over plain HTTP), rate limits and two-factor as in production."""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
