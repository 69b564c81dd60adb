"""The Celery application of Maillage: everything that leaves the request (emails, newsletter
fan-out, feeds, reminders) runs here, and the one beat schedule of periodic jobs is below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each entry: a crontab and the crontab.guru link that reads it aloud.
app.conf.beat_schedule = {
    # https://crontab.guru/#30_9_*_*_* — every day at 09:30
    "trainings-questionnaire-send-due": {
        "task": "trainings.tasks.questionnaire_send_due",
        "schedule": crontab(minute=30, hour=9),
    },
}
