"""The one task policy (core/tasks.py): every Celery task is declared network or local, and a
network task retries transient errors instead of losing its email."""

import smtplib
from importlib import import_module
from unittest import mock

from django.apps import apps
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

import pytest
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused

from core.tasks import LocalTask, NetworkTask, is_transient
from events.models import Registration
from events.tasks import registration_notify
from portal.celery import app
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

# Tasks that send an email or call another server: each must be a network task.
SENDERS = {
    "accounts.tasks.email_send_rendered",
    "directory.tasks.orientation_fiche_send",
    "directory.tasks.place_error_report_notify",
    "directory.tasks.place_sources_fetch_all",
    "events.tasks.registration_notify",
    "events.tasks.registration_send_reminder",
    "events.tasks.registration_message_send",
    "newsletter.tasks.campaign_send_batch",
    "newsletter.tasks.campaign_send_test",
    "newsletter.tasks.subscriber_opt_in_send",
    "numeritheque.tasks.booking_notify",
    "numeritheque.tasks.booking_reminder",
    "peer_exchange.tasks.proposal_notify",
    "trainings.tasks.certificate_email_send",
    "trainings.tasks.follow_up_send",
    "trainings.tasks.questionnaire_send",
}


def project_tasks() -> dict:
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tasks":
                raise
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_is_declared_network_or_local():
    tasks = project_tasks()
    assert len(tasks) >= len(SENDERS)
    undeclared = [
        name for name, task in tasks.items() if not isinstance(task, NetworkTask | LocalTask)
    ]
    assert undeclared == [], "déclarez ces tâches avec core.tasks.network_task ou local_task"
    local_senders = [
        name for name in SENDERS if name in tasks and not isinstance(tasks[name], NetworkTask)
    ]
    assert local_senders == []


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPServerDisconnected("bye"), True),
        (smtplib.SMTPDataError(451, b"try later"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPRecipientsRefused({"a@exemple.fr": (550, b"no such user")}), False),
        (smtplib.SMTPRecipientsRefused({"a@exemple.fr": (450, b"mailbox busy")}), True),
        (AnymailAPIError("down", status_code=503), True),
        (AnymailAPIError("slow down", status_code=429), True),
        (AnymailAPIError("bad request", status_code=400), False),
        (AnymailRecipientsRefused("refused"), False),
    ],
)
def test_transient_errors_are_told_from_refusals(error, transient):
    assert is_transient(error) is transient


@pytest.fixture
def eager_retries():
    """Eager tasks propagate every error in tests, a Retry included: let Celery run it here."""
    conf = registration_notify.app.conf
    propagates = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = propagates


@pytest.mark.django_db
def test_a_dropped_connection_delays_the_confirmation_instead_of_losing_it(eager_retries):
    registration = Registration.objects.create(
        session=SessionFactory(), user=UserFactory(), status=Registration.Status.CONFIRMED
    )
    real_send, failures = EmailBackend.send_messages, [smtplib.SMTPServerDisconnected("bye")] * 2

    def flaky(self, messages):
        if failures:
            raise failures.pop()
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", flaky):
        registration_notify.delay(registration.pk, "confirmed")
    assert failures == []
    assert [message.to for message in mail.outbox] == [[registration.user.email]]


@pytest.mark.django_db
def test_a_refused_address_is_not_retried():
    registration = Registration.objects.create(
        session=SessionFactory(), user=UserFactory(), status=Registration.Status.CONFIRMED
    )
    refused = smtplib.SMTPRecipientsRefused({registration.user.email: (550, b"no such user")})
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=refused) as send,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        registration_notify.delay(registration.pk, "confirmed")
    assert send.call_count == 1
