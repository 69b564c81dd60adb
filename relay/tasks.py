"""Celery entry points of the relay: the beat's minute tick hands each due source to its own
task, so a partner that hangs until its timeout delays nobody else."""

from core.tasks import local_task, network_task


@local_task
def relay_sources_dispatch() -> None:
    """Every minute: queue a fetch for each source whose interval (or backoff) has passed."""
    from .services import sources_dispatch_due

    sources_dispatch_due()


@network_task
def relay_source_fetch(source_pk: int) -> None:
    """Fetch one source; a second run re-reads the same feed and changes nothing more."""
    from .models import RelaySource
    from .services import source_fetch

    source = RelaySource.objects.filter(pk=source_pk, is_active=True).first()
    if source:
        source_fetch(source=source)
