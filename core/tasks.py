"""The one policy for Celery tasks, and the common layer's own task.

Every task is declared with `network_task` (it sends an email or calls another server) or
`local_task` (it only reads and writes the database, or enqueues other tasks);
tests/core/test_tasks.py fails on a task declared otherwise. A network task that meets a
transient error (server unreachable, connection dropped, a 4xx SMTP answer, a 5xx or 429 from an
email API) is retried with exponential backoff and full jitter, up to
`MAILLAGE_NETWORK_TASK_RETRIES` times; a permanent refusal (5xx SMTP answer, a refused address)
fails at once. Without this, Celery acknowledges a task that raises and a brief mail-server
outage loses a registration confirmation. A retried task runs again from the start, so each one
sends at most one message or claims what it sends (newsletter deliveries, reminders' notices).
"""

import smtplib

from django.conf import settings

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval


def is_transient(error: BaseException) -> bool:
    """Whether trying again later may succeed."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPNotSupportedError | AnymailRecipientsRefused):
        return False
    if isinstance(error, AnymailAPIError):
        return error.status_code is None or error.status_code == 429 or error.status_code >= 500
    # Connection refused or reset, timeouts, DNS failures, a server that hung up.
    return isinstance(error, OSError)


class LocalTask(Task):
    """Database work only: a failure is a bug or a refusal, retrying would not help."""

    acks_late = True


class NetworkTask(Task):
    """Sends an email or calls another server: transient errors are retried (see the module)."""

    acks_late = True

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except (OSError, AnymailAPIError) as error:
            if not is_transient(error):
                raise
            countdown = get_exponential_backoff_interval(
                factor=settings.MAILLAGE_NETWORK_TASK_BACKOFF_SECONDS,
                retries=self.request.retries,
                maximum=settings.MAILLAGE_NETWORK_TASK_BACKOFF_MAX_SECONDS,
                full_jitter=True,
            )
            raise self.retry(
                exc=error, countdown=countdown, max_retries=settings.MAILLAGE_NETWORK_TASK_RETRIES
            ) from error


def network_task(*args, **options):
    """`shared_task` for a task that sends an email or calls the network."""
    return shared_task(*args, base=NetworkTask, **options)


def local_task(*args, **options):
    """`shared_task` for a task that only works on the database or enqueues other tasks."""
    return shared_task(*args, base=LocalTask, **options)


@local_task
def retention_apply():
    """Daily: anonymise what is older than MAILLAGE_RETENTION_DAYS in every app."""
    from .services import retention_apply as apply

    apply()
