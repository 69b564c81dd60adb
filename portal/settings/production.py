"""Production settings: every secret and address comes from the environment, and a missing one
stops the process at start-up rather than running with a default."""

import os

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = os.environ["SECRET_KEY"]
if not os.environ.get("DATABASE_URL"):
    raise RuntimeError("DATABASE_URL doit être défini en production.")
if os.environ.get("BREVO_API_KEY") and not os.environ.get("ANYMAIL_WEBHOOK_SECRET"):
    raise RuntimeError(
        "ANYMAIL_WEBHOOK_SECRET doit être défini avec BREVO_API_KEY : sans lui, n'importe qui "
        "pourrait déclarer de faux rebonds et suspendre des abonné·es."
    )

# Hub staff and the numérithèque manager must set up a second factor (accounts/middleware.py).
MAILLAGE_STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
# https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
