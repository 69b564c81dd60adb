"""Celery wrappers around the catalogue's services (primary keys in, safe to run twice)."""

from core.tasks import local_task, network_task


@local_task
def questionnaire_send_due() -> int:
    """Daily: fan out one task per registration whose questionnaire is due."""
    from .services import questionnaire_registrations_due

    pks = list(questionnaire_registrations_due().values_list("pk", flat=True))
    for pk in pks:
        questionnaire_send.delay(pk)
    return len(pks)


@network_task
def questionnaire_send(registration_pk: int) -> bool:
    from events.models import Registration

    from .services import questionnaire_send as send

    registration = Registration.objects.filter(pk=registration_pk).first()
    return bool(registration) and send(registration=registration)


@network_task
def certificate_email_send(certificate_pk: int) -> bool:
    """Email one person their certificate (sent once, whatever the retries)."""
    from .models import Certificate
    from .services import certificate_email_send as send

    certificate = Certificate.objects.filter(pk=certificate_pk).first()
    return bool(certificate) and send(certificate=certificate)


@local_task
def follow_ups_send_due() -> int:
    """Daily: fan out one task per registration whose day-after email is due."""
    from .services import follow_up_registrations_due

    pks = list(follow_up_registrations_due().values_list("pk", flat=True))
    for pk in pks:
        follow_up_send.delay(pk)
    return len(pks)


@network_task
def follow_up_send(registration_pk: int) -> bool:
    """Send one person the day-after email (once, whatever the retries)."""
    from events.models import Registration

    from .services import follow_up_send as send

    registration = Registration.objects.filter(pk=registration_pk).first()
    return bool(registration) and send(registration=registration)
