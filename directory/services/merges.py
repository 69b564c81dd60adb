"""Merging two fiches of the same place, and the structure a merge leaves without places."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.data_version import data_changed
from core.errors import DomainError
from core.locking import lock_all

from ..models import MergedIdentifier, Organisation, Place, PlaceChange, StructureMembership
from .places import _jsonable, place_validate

_MERGE_SKIPPED_FIELDS = {
    "id",
    "identifier",
    "created_at",
    "updated_at",
    "opening_hours_valid",
    "review_flags",
    "hub_edited_fields",
    "hub_edited_at",
}


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _unique_sets(model) -> list[set[str]]:
    """The unconditional unique sets of `model`, as attribute names."""
    names = {field.name: field.attname for field in model._meta.concrete_fields}
    sets = [{field.attname} for field in model._meta.concrete_fields if field.unique]
    sets += [{names[name] for name in fields} for fields in model._meta.unique_together]
    sets += [
        {names[name] for name in constraint.fields}
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is None
        and constraint.fields
    ]
    return sets


def _links_to(model) -> list[tuple[type, str, bool]]:
    """Every (model, foreign key attribute, is_link_table) that points to `model`: found from
    the model's relations so that apps above the directory are covered without importing
    them. Many-to-many relations are reached through their link table."""
    links = []
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            for field in through._meta.concrete_fields:
                if field.is_relation and field.related_model is model:
                    links.append((through, field.attname, through._meta.auto_created))
        else:
            links.append((relation.related_model, relation.field.attname, False))
    return links


def _repoint(*, model, remove_pk, keep_pk) -> None:
    """Make every row pointing to `remove_pk` point to `keep_pk`. A link-table row that would
    duplicate one of `keep_pk` is dropped; any other clash refuses the merge (DomainError,
    code: conflict) rather than delete data."""
    for related, attname, is_link_table in _links_to(model):
        manager = related._base_manager
        for unique in _unique_sets(related):
            if attname not in unique:
                continue
            others = sorted(unique - {attname})
            kept_rows = manager.filter(**{attname: keep_pk})
            removed_rows = manager.filter(**{attname: remove_pk})
            if others:
                kept = set(kept_rows.values_list(*others))
                clashing = [
                    values for values in removed_rows.values_list(*others) if values in kept
                ]
            else:
                clashing = [()] if kept_rows.exists() and removed_rows.exists() else []
            if not clashing:
                continue
            if not is_link_table:
                raise DomainError(
                    _("Fusion impossible : « %(model)s » lie déjà les deux fiches.")
                    % {"model": related._meta.verbose_name},
                    code="conflict",
                )
            for values in clashing:
                manager.filter(
                    **{attname: remove_pk}, **dict(zip(others, values, strict=True))
                ).delete()
        manager.filter(**{attname: remove_pk}).update(**{attname: keep_pk})
        data_changed()


def _organisation_merge(*, keep: Organisation, remove: Organisation) -> None:
    """Fold a structure left without places into the kept place's structure: its members
    (a manager stays a manager), bookings, trainings… follow."""
    for membership in StructureMembership.objects.filter(organisation=remove):
        existing = StructureMembership.objects.filter(
            organisation=keep, user_id=membership.user_id
        ).first()
        if existing is None:
            continue
        if membership.is_manager and not existing.is_manager:
            existing.is_manager = True
            existing.save(update_fields=["is_manager"])
        membership.delete()
    _repoint(model=Organisation, remove_pk=remove.pk, keep_pk=keep.pk)
    if not keep.siret and remove.siret:
        keep.siret = remove.siret
        keep.save(update_fields=["siret", "updated_at"])
    remove.delete()


@transaction.atomic
def place_merge(*, keep: Place, remove: Place, user) -> Place:
    """Merge two fiches of the same place: everything that points to `remove` (sessions,
    equipment, history, and any later app's links) is moved to `keep`, the empty fields of
    `keep` are filled from `remove`, a structure left without places is folded into the kept
    one, the merge is recorded in the history and `remove` is deleted.

    Raises DomainError (codes: same_place, conflict, invalid); nothing is written then."""
    if keep.pk == remove.pk:
        raise DomainError(_("Impossible de fusionner un lieu avec lui-même."), code="same_place")
    locked = {
        place.pk: place
        for place in lock_all(Place.objects.filter(pk__in=[keep.pk, remove.pk]).order_by("pk"))
    }
    if len(locked) != 2:
        raise DomainError(_("L'une des deux fiches n'existe plus."), code="not_found")
    keep, remove = locked[keep.pk], locked[remove.pk]
    changes: dict[str, list] = {
        "fusion": [f"{remove.name} ({remove.identifier})", f"{keep.name} ({keep.identifier})"]
    }
    for model_field in Place._meta.concrete_fields:
        if model_field.name in _MERGE_SKIPPED_FIELDS:
            continue
        attname = model_field.attname
        if _is_empty(getattr(keep, attname)) and not _is_empty(getattr(remove, attname)):
            value = getattr(remove, attname)
            changes[model_field.name] = [None, _jsonable(value)]
            setattr(keep, attname, value)
            if attname == "opening_hours":
                keep.opening_hours_valid = remove.opening_hours_valid
    removed_organisation = remove.organisation
    _repoint(model=Place, remove_pk=remove.pk, keep_pk=keep.pk)
    MergedIdentifier.objects.create(identifier=remove.identifier, place=keep)
    remove.delete()
    if (
        removed_organisation is not None
        and keep.organisation_id
        and removed_organisation.pk != keep.organisation_id
        and not removed_organisation.places.exists()
    ):
        _organisation_merge(keep=keep.organisation, remove=removed_organisation)
    filled = [name for name in changes if name not in ("fusion", "organisation")]
    if filled:
        keep.hub_edited_fields = sorted({*keep.hub_edited_fields, *filled})
        keep.hub_edited_at = timezone.now()
    place_validate(place=keep)
    keep.save()
    PlaceChange.objects.create(place=keep, user=user, changes=changes)
    audit_log(
        instance=keep,
        action="directory.place_merge",
        user=user,
        data={"comment": " → ".join(changes["fusion"])},
    )
    return keep
