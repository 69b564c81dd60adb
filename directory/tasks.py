"""Celery entry points of the directory: thin wrappers around services, taking primary keys."""

from celery import shared_task


@shared_task
def place_import_run(place_import_pk: int) -> None:
    from .models import PlaceImport
    from .services import place_import_run as run

    place_import = PlaceImport.objects.filter(pk=place_import_pk).first()
    if place_import is not None:
        run(place_import=place_import)
