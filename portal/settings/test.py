"""Test settings: fast hashing, in-memory email and cache, eager Celery (except the tests that
start a real worker), Wagtail's tasks run immediately."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"}
}
# Rate limits are exercised by their own tests, which switch them back on.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key"}
MAILLAGE_API_RATE_LIMIT = None
# Tests change rows behind the ORM's back (queryset.update, time travel) and never commit (the
# data version stays put): the page and fragment caches have their own tests, which switch them
# on.
MAILLAGE_PAGE_CACHE_SECONDS = 0
MAILLAGE_FRAGMENT_CACHE_SECONDS = 0
# One process, one in-memory cache: the data version can live there (its database row has its
# own tests), which keeps a cached answer free of SQL.
MAILLAGE_DATA_VERSION_IN_CACHE = True
# Fifty threads queue for one row in the race tests, on a loaded machine: no timeout there
# (core.locking's own test sets a short one).
MAILLAGE_LOCK_TIMEOUT_SECONDS = 300
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_maillage")}  # noqa: F405
