"""Celery entry points of the directory: thin wrappers around services, taking primary keys."""

from core.tasks import local_task, network_task


@local_task
def place_import_run(place_import_pk: int) -> None:
    from .models import PlaceImport
    from .services import place_import_run as run

    place_import = PlaceImport.objects.filter(pk=place_import_pk).first()
    if place_import is not None:
        run(place_import=place_import)


@network_task
def orientation_fiche_send(place_pk: int, service: str, email: str, sender_pk: int | None) -> None:
    from .services import orientation_fiche_send as send

    send(place_pk=place_pk, service=service, email=email, sender_pk=sender_pk)


@network_task
def place_sources_fetch_all() -> None:
    """Nightly: re-import every active published export (`sources.place_sources_fetch_all`)."""
    from .sources import place_sources_fetch_all as fetch_all

    fetch_all()


@network_task
def place_error_report_notify(report_pk: int) -> None:
    from .error_reports import place_error_report_notify as notify

    notify(report_pk=report_pk)


@network_task
def place_proposal_notify(proposal_pk: int) -> None:
    from .services import place_proposal_notify as notify

    notify(proposal_pk=proposal_pk)
