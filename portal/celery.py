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
    # https://crontab.guru/#0_17_*_*_* — every day at 17:00 (Europe/Paris): the J-1 and J-7
    # reminders.
    "events-reminders": {
        "task": "events.tasks.reminders_send_for_tomorrow",
        "schedule": crontab(minute=0, hour=17),
    },
    # https://crontab.guru/#0_7_*_*_* — every day at 07:00: the morning-of reminders.
    "events-reminders-morning": {
        "task": "events.tasks.reminders_send_this_morning",
        "schedule": crontab(minute=0, hour=7),
    },
    # https://crontab.guru/#*/5_*_*_*_* — every 5 minutes: seat offers nobody answered in time
    # pass to the next person (using a link checks it too, at once).
    "seat-offers-expire": {
        "task": "events.tasks.seat_offers_expire_due",
        "schedule": crontab(minute="*/5"),
    },
    # https://crontab.guru/#*/10_*_*_*_* — every 10 minutes: the public .ics files drop the
    # sessions that ended; each committed change of public data rebuilds them at once anyway
    # (core.data_version, events.receivers).
    "events-public-feed": {
        "task": "events.tasks.public_feed_build",
        "schedule": crontab(minute="*/10"),
    },
    # https://crontab.guru/#*_*_*_*_* (every minute)
    "newsletter-campaigns-tick": {
        "task": "newsletter.tasks.campaigns_tick",
        "schedule": crontab(),
    },
    # https://crontab.guru/#*_*_*_*_* (every minute): partners' agendas whose own interval
    # (or backoff after failures) has passed are fetched, each in its own task.
    "relay-sources-dispatch": {
        "task": "relay.tasks.relay_sources_dispatch",
        "schedule": crontab(),
    },
    # https://crontab.guru/#0_8_*_*_* — every day at 08:00 (Europe/Paris).
    "numeritheque-reminders": {
        "task": "numeritheque.tasks.booking_reminders_dispatch",
        "schedule": crontab(minute=0, hour=8),
    },
    # https://crontab.guru/#0_9_*_*_* — every day at 09:00: the day-after emails of training
    # sessions (before the standalone questionnaire, which they carry for people present).
    "trainings-follow-ups-send-due": {
        "task": "trainings.tasks.follow_ups_send_due",
        "schedule": crontab(minute=0, hour=9),
    },
    # https://crontab.guru/#30_9_*_*_* — every day at 09:30
    "trainings-questionnaire-send-due": {
        "task": "trainings.tasks.questionnaire_send_due",
        "schedule": crontab(minute=30, hour=9),
    },
    # https://crontab.guru/#45_2_*_*_* — every day at 02:45: re-import the published exports
    # of places the Hub follows (directory sources).
    "directory-sources-fetch": {
        "task": "directory.tasks.place_sources_fetch_all",
        "schedule": crontab(minute=45, hour=2),
    },
    # https://crontab.guru/#15_3_*_*_* — every day at 03:15: anonymise what passed retention.
    "core-retention-apply": {
        "task": "core.tasks.retention_apply",
        "schedule": crontab(minute=15, hour=3),
    },
}
