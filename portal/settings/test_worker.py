"""Settings of the real Celery worker that the delivery-guarantee test starts: the test's own
database and Redis broker and a local SMTP server. The recovery after a SIGKILL runs on the
production delays (kombu's hour-long visibility timeout, NEWSLETTER_SENDER_GONE_AFTER)."""

import os

from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["NAME"] = os.environ["WORKER_DATABASE_NAME"]
DATABASES["default"]["TEST"] = {"NAME": os.environ["WORKER_DATABASE_NAME"]}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {}
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
# One chain of batches: the killed worker takes all of the campaign's sending with it, the case
# where only the recovery (a new worker's watch) can resume it.
NEWSLETTER_PARALLEL_BATCHES = 1
