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
