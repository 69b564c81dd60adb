from unittest import mock

from django.core.management import call_command

import pytest

from newsletter import rendering
from newsletter.models import Campaign, Subscriber
from portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_demo_has_subscribers_two_sent_letters_and_a_scheduled_one(client):
    call_command("load_demo")
    statuses = list(Subscriber.objects.values_list("status", flat=True))
    assert statuses.count("confirmed") >= 8
    assert statuses.count("pending") == 2
    assert statuses.count("unsubscribed") == 1
    sent = Campaign.objects.filter(status=Campaign.Status.SENT)
    assert sent.count() == 2
    assert all(c.deliveries.filter(status="sent").count() == 9 for c in sent)
    scheduled = Campaign.objects.get(status=Campaign.Status.SCHEDULED)
    assert "À venir dans le réseau" in rendering.body_html(scheduled)  # filled from the agenda
    html = client.get("/lettre/").content.decode()
    assert "la rentrée du réseau" in html and "accompagner sans faire" in html
    assert 'href="/lettre/"' in client.get("/").content.decode()


def test_load_demo_sends_no_mail_itself_when_no_mail_server_answers(settings):
    """As in production (an SMTP server, a real Celery queue): the demo only queues mail, or
    writes its past letters to the file outbox, and never connects to the mail server."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    celery_app.conf.task_always_eager = False
    try:
        with mock.patch("smtplib.SMTP", side_effect=ConnectionRefusedError) as smtp:
            call_command("load_demo")
    finally:
        celery_app.conf.task_always_eager = True
    smtp.assert_not_called()
    assert Campaign.objects.filter(status=Campaign.Status.SENT).count() == 2
