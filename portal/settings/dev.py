"""Laptop settings: the embedded default (SQLite, file outbox, file-based Celery broker)."""

import contextlib
import os

from .base import *  # noqa: F403
from .base import SITE_URL

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "not-a-secret-dev-only")
ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = [SITE_URL]
# Security keys on http://127.0.0.1:8000 (browsers treat the loopback as a secure context).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
