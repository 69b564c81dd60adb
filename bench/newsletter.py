"""`newsletter.send`: a campaign fanned out by a real Celery worker on Redis to a local SMTP
sink, against Django's SMTP backend sending the same rendered message over one connection
(`mail_django`); a raw smtplib loop with a tiny message is kept as information."""

import os
import smtplib
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from bench.server import free_port

ROOT = Path(__file__).resolve().parents[1]


class CountingHandler:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def measure(env: dict, *, broker_url: str, subscribers: int, departement: str) -> dict:
    """Seconds for the worker to deliver the letter of one département (a quarter of the
    subscribers: the whole list would take most of the half-hour budget), for Django and for
    smtplib sending as many messages, and the number of messages. The worker has a Redis
    database of its own as broker, emptied first (the registration rush's confirmation emails
    are not charged to the letter), and the clock starts once it answers."""
    from unittest import mock

    from django.utils import timezone

    import redis
    from celery import Celery

    from bench.baselines import mail_django
    from newsletter import rendering
    from newsletter.models import Campaign, Delivery
    from newsletter.services import campaign_send
    from newsletter.tasks import campaign_fan_out

    redis.Redis.from_url(broker_url).flushdb()
    broker = Celery("bench-newsletter", broker=broker_url)

    handler = CountingHandler()
    port = free_port()
    sink = Controller(handler, hostname="127.0.0.1", port=port)
    sink.start()
    worker_env = {
        **os.environ,
        **env,
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "portal",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            "2",
        ],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        campaign = Campaign.objects.create(
            subject=f"Lettre de mesure {timezone.now():%H%M%S}",
            segment_departement=departement,
            body=[("paragraph", "<p>Les prochaines formations du Hub.</p>")],
        )
        while not broker.control.ping(timeout=1):
            if worker.poll() is not None:
                raise RuntimeError("le worker de la lettre s'est arrêté au démarrage")
        started = time.perf_counter()
        with mock.patch.object(
            campaign_fan_out,
            "delay",
            lambda pk: broker.send_task("newsletter.tasks.campaign_fan_out", args=[pk]),
        ):
            campaign_send(campaign=campaign)
        deadline = time.monotonic() + 1_500
        while time.monotonic() < deadline:
            campaign.refresh_from_db()
            pending = Delivery.objects.filter(
                campaign=campaign, status__in=["pending", "sending"]
            ).count()
            if campaign.fanned_out_at and pending == 0:
                break
            time.sleep(0.5)
        worker_seconds = time.perf_counter() - started
        sent = Delivery.objects.filter(campaign=campaign, status="sent").count()
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    delivery = Delivery.objects.filter(campaign=campaign).select_related("subscriber").first()
    message = rendering.campaign_message(
        campaign=campaign,
        subscriber=delivery.subscriber,
        html=campaign.sent_html,
        text=campaign.sent_text,
    )
    django_seconds = mail_django(message, count=sent or subscribers, port=port)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for n in range(sent or subscribers):
            tiny = EmailMessage()
            tiny["Subject"] = "Lettre de mesure"
            tiny["From"] = "hub@exemple.fr"
            tiny["To"] = f"abonne{n}@exemple.fr"
            tiny.set_content("Les prochaines formations du Hub.")
            tiny.add_alternative("<p>Les prochaines formations du Hub.</p>", subtype="html")
            connection.send_message(tiny)
    smtplib_seconds = time.perf_counter() - started
    sink.stop()
    return {
        "worker": worker_seconds,
        "mail_django": django_seconds,
        "smtplib_raw": smtplib_seconds,
        "sent": sent,
        "message_bytes": len(message.message().as_bytes()),
    }
