from celery import shared_task

from . import services


@shared_task
def retention_apply():
    """Daily: anonymise what is older than MAILLAGE_RETENTION_DAYS in every app."""
    services.retention_apply()
