"""Services of the common layer: the personal-data access log and retention."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import personal_data
from .models import PersonalDataAccess


def personal_data_access_record(*, user, what: str, target: object = "", path: str = ""):
    """Record that `user` (staff) was shown other people's data on screen `what`. `target` is
    the object or a description of the rows (e.g. "12 inscriptions")."""
    return PersonalDataAccess.objects.create(
        user=user,
        user_label=getattr(user, "email", "")[:254],
        what=str(what)[:200],
        path=path[:500],
        target=str(target)[:255],
    )


@transaction.atomic
def personal_data_access_purge_older_than(*, days: int, dry_run: bool = False) -> int:
    """The access log is personal data too: it goes after the retention period."""
    old = PersonalDataAccess.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=days))
    if dry_run:
        return old.count()
    deleted, _by_model = old.delete()
    return deleted


def retention_apply(*, days: int | None = None, dry_run: bool = False) -> list[tuple[str, int]]:
    """Run every app's retention step; returns (label, count) pairs. Each step is its own
    transaction and idempotent, so a run stopped halfway is finished by the next one."""
    days = settings.MAILLAGE_RETENTION_DAYS if days is None else days
    return [
        (step.label, step.run(days=days, dry_run=dry_run))
        for step in personal_data.retention_steps()
    ]
