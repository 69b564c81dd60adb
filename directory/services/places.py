"""Hand edits of a place, memberships of a structure, and the fiche d'orientation sent by
email."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.locking import lock_one

from .. import fields, standard_io
from ..models import Organisation, Place, PlaceChange, StructureMembership

EDITABLE_FIELDS = [
    "name",
    "address",
    "address_complement",
    "postcode",
    "commune",
    "phone",
    "emails",
    "websites",
    "opening_hours",
    "summary",
    "description",
    "services",
    "publics",
    "specific_support",
    "fees",
    "national_schemes",
    "labels",
    "access_modes",
    "support_modes",
    "accessibility_url",
    "appointment_url",
]


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def place_update(*, place: Place, user, data: dict) -> Place:
    """A hand edit by a structure manager or Hub staff: records what changed and who changed
    it, marks those fields as edited by hand (a later import won't overwrite them unless its
    source is newer) and sets the last update date.

    Raises DomainError (code: invalid) with the first validation error."""
    place = lock_one(Place.objects.all(), pk=place.pk)
    changes = {}
    for attribute in EDITABLE_FIELDS:
        if attribute in data and data[attribute] != getattr(place, attribute):
            changes[attribute] = [_jsonable(getattr(place, attribute)), _jsonable(data[attribute])]
            setattr(place, attribute, data[attribute])
    if not changes:
        return place
    _check_contacts(place=place, changes=changes)
    if "opening_hours" in changes:
        place.opening_hours_valid = not place.opening_hours or standard_io.check_opening_hours(
            place.opening_hours
        )
        flags = [flag for flag in place.review_flags if flag != Place.ReviewFlag.OPENING_HOURS]
        if not place.opening_hours_valid:
            flags.append(Place.ReviewFlag.OPENING_HOURS.value)
        place.review_flags = flags
    now = timezone.now()
    # The date is hand-set too: an older file must not turn it back.
    place.hub_edited_fields = sorted({*place.hub_edited_fields, *changes, "source_updated_on"})
    place.hub_edited_at = now
    place.source_updated_on = timezone.localdate(now)
    place.review_flags = [
        flag for flag in place.review_flags if flag != Place.ReviewFlag.EPOCH_DATE
    ]
    place_validate(place=place)
    place.save()
    PlaceChange.objects.create(place=place, user=user, changes=changes)
    return place


def _check_contacts(*, place: Place, changes: dict) -> None:
    """Addresses and web sites typed by hand are checked (an import keeps what its file
    says, flagged elsewhere). Raises DomainError (code: invalid) in French."""
    try:
        if "emails" in changes:
            fields.emails_validate(place.emails)
        if "websites" in changes:
            fields.urls_validate(place.websites)
        for attribute in ("accessibility_url", "appointment_url"):
            if attribute in changes and getattr(place, attribute):
                fields.url_validate(getattr(place, attribute))
    except ValidationError as error:
        raise DomainError(error.messages[0], code="invalid") from error


def place_validate(*, place: Place) -> None:
    """Run the model's checks before a write. Raises DomainError (code: invalid) with the
    first French message of the validation."""
    try:
        place.full_clean()
    except ValidationError as error:
        raise DomainError(error.messages[0], code="invalid") from error


def orientation_fiche_queue(*, place: Place, service: str, email: str, sender) -> None:
    """Have the fiche d'orientation emailed to `email` by a task, after commit."""
    from ..tasks import orientation_fiche_send as orientation_fiche_send_task

    place_pk, sender_pk = place.pk, sender.pk if sender else None
    transaction.on_commit(
        lambda: orientation_fiche_send_task.delay(place_pk, service, email, sender_pk)
    )


def orientation_fiche_send(
    *, place_pk: int, service: str, email: str, sender_pk: int | None
) -> None:
    """Email a fiche d'orientation (text, HTML and the PDF). Sending twice is harmless."""
    from core.mail import Attachment, send_templated_email

    from ..orientation import fiche_context
    from ..pdf import fiche_pdf

    place = Place.objects.filter(pk=place_pk).first()
    if place is None:
        return
    context = fiche_context(place=place, service=service)
    send_templated_email(
        template="directory_orientation_fiche",
        to=[email],
        context=context,
        attachments=[
            Attachment(f"fiche-orientation-{place.pk}.pdf", fiche_pdf(context), "application/pdf")
        ],
    )


def membership_add(*, user, organisation: Organisation, is_manager: bool) -> StructureMembership:
    """Make `user` a member (or manager) of `organisation`; idempotent."""
    membership, created = StructureMembership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"is_manager": is_manager}
    )
    if not created and membership.is_manager != is_manager:
        membership.is_manager = is_manager
        membership.save(update_fields=["is_manager"])
    return membership
