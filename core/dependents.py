"""What depends on a row, said before staff delete or merge it: « supprimer ce lieu supprime
aussi 3 réservations », « 2 sessions empêchent la suppression ». Found from the models'
relations (Django's deletion collector), so that apps above the one asking are covered without
importing them."""

from dataclasses import dataclass

from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector


@dataclass(frozen=True)
class Dependents:
    """Rows a deletion would take along (`cascaded`) and rows that forbid it (`protected`),
    each as (plural verbose name, count), largest first."""

    cascaded: list[tuple[str, int]]
    protected: list[tuple[str, int]]

    @property
    def is_protected(self) -> bool:
        return bool(self.protected)


def _counted(count_by_model: dict) -> list[tuple[str, int]]:
    counted = [
        (str(model._meta.verbose_name_plural), count)
        for model, count in count_by_model.items()
        if count and not model._meta.auto_created
    ]
    return sorted(counted, key=lambda item: (-item[1], item[0]))


def dependents_of(instance) -> Dependents:
    """What deleting `instance` would delete with it, or what forbids deleting it."""
    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    try:
        collector.collect([instance])
    except (ProtectedError, RestrictedError) as error:
        rows = (
            error.protected_objects
            if isinstance(error, ProtectedError)
            else error.restricted_objects
        )
        by_model: dict = {}
        for row in rows:
            by_model[type(row)] = by_model.get(type(row), 0) + 1
        return Dependents(cascaded=[], protected=_counted(by_model))
    cascaded = {
        model: len(rows) for model, rows in collector.data.items() if model is not type(instance)
    }
    for queryset in collector.fast_deletes:
        # Rows deleted without being loaded (no signal listens to them): counted, not read.
        cascaded[queryset.model] = cascaded.get(queryset.model, 0) + queryset.count()
    return Dependents(cascaded=_counted(cascaded), protected=[])


def references_to(instance) -> list[tuple[str, int]]:
    """Rows of other models pointing at `instance` (any foreign key or many-to-many), as
    (plural verbose name, count): what a merge moves onto the fiche it keeps."""
    counted = []
    for relation in instance._meta.related_objects:
        model = relation.related_model
        count = model._default_manager.filter(**{relation.field.name: instance}).count()
        if count:
            counted.append((str(model._meta.verbose_name_plural), count))
    return sorted(counted, key=lambda item: (-item[1], item[0]))
