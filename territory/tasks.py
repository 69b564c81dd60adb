"""Celery entry points of territory: thin wrappers, taking primary keys and plain values."""

from core.tasks import local_task


@local_task
def diagnosis_compute(
    service: str, departements: list[str], radius_km: float | None, indicator_pk: int | None
) -> dict:
    """Compute (and cache) a diagnosis too large for a request, such as a whole country; safe to
    run twice (the second finds it cached). Returns the territory's totals."""
    from .diagnosis import diagnosis_get
    from .selectors import indicator_get

    indicator = indicator_get(pk=indicator_pk) if indicator_pk else None
    result = diagnosis_get(
        service=service, departements=departements, radius_km=radius_km, indicator=indicator
    )
    return result["total"]
