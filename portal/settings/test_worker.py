"""Settings of the real Celery worker that the delivery-guarantee test starts: the test's own
database and Redis broker, a local SMTP server, and short timeouts so that a killed worker's
task comes back within seconds (kombu's Redis visibility timeout)."""

import os

from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["NAME"] = os.environ["WORKER_DATABASE_NAME"]
DATABASES["default"]["TEST"] = {"NAME": os.environ["WORKER_DATABASE_NAME"]}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "127.0.0.1",
            "port": int(os.environ["WORKER_SMTP_PORT"]),
            "use_tls": False,
            "timeout": 10,
        },
    }
}
NEWSLETTER_BATCH_SIZE = 40
NEWSLETTER_SENDING_STALE_AFTER = 3
