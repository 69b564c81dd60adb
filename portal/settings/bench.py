"""Benchmark settings: production settings on loopback, plus the baseline views."""

from .production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_RATE_LIMITS = False
