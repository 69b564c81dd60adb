"""Another process of the portal (a Celery worker, a second web process) renaming and
cancelling a session and adding another one:
run by tests/relay/test_outputs_current.py as `python -m tests.relay.other_process PK`, with
the test's database, media folder and cache given in the environment."""

import os
import sys

import django

import portal.settings.test as settings_module

settings_module.MEDIA_ROOT = os.environ["OTHER_MEDIA_ROOT"]
settings_module.MAILLAGE_DATA_VERSION_IN_CACHE = bool(os.environ.get("OTHER_REDIS_URL"))
if os.environ.get("OTHER_REDIS_URL"):
    settings_module.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["OTHER_REDIS_URL"],
        }
    }
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
django.setup()

import datetime  # noqa: E402

from events import services  # noqa: E402
from events.models import Session  # noqa: E402

session = Session.objects.get(pk=int(sys.argv[1]))
services.session_update(session=session, title=sys.argv[2])
services.session_cancel(session=Session.objects.get(pk=session.pk), reason=sys.argv[3])
services.session_create(
    page=session.page,
    title=sys.argv[4],
    start=session.start + datetime.timedelta(days=1),
    end=session.end + datetime.timedelta(days=1),
)
