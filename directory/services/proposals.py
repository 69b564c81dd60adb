"""A structure manager proposes a new place for their structure; Hub staff review it before
it is public. Until approved the fiche lives only in `PlaceProposal` (no public list, map,
export or API reads that table); approval creates the `Place` through the same checks as a
hand edit."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_is_hub_staff, user_list_hub_staff
from core.audit import audit_log
from core.departements import departement_of
from core.errors import DomainError
from core.locking import lock_one

from .. import selectors
from ..models import Organisation, Place, PlaceChange, PlaceProposal, StructureMembership
from .places import EDITABLE_FIELDS, _check_contacts, _jsonable

IDENTIFIER_PREFIX = "maillage-"


def _place_from(*, proposal_data: dict, organisation: Organisation | None) -> Place:
    """An unsaved place from the proposed fields, placed in its commune (INSEE code,
    département and the town hall's position until someone places it better)."""
    place = Place(
        organisation=organisation, pivot=organisation.siret if organisation else "", source="Hub"
    )
    for attribute in EDITABLE_FIELDS:
        if attribute in proposal_data:
            setattr(place, attribute, proposal_data[attribute])
    commune = selectors.commune_locate(query=f"{place.commune} ({place.postcode})")
    if commune is not None and commune.name.casefold() == place.commune.strip().casefold():
        place.insee_code, place.departement = commune.insee_code, commune.departement_id
        place.latitude, place.longitude = commune.latitude, commune.longitude
    else:
        place.departement = departement_of(place.postcode) or ""
    return place


def _validate(place: Place) -> None:
    _check_contacts(place=place, changes=dict.fromkeys(EDITABLE_FIELDS))
    try:
        place.full_clean(exclude=["identifier"])
    except ValidationError as error:
        raise DomainError(error.messages[0], code="invalid") from error


@transaction.atomic
def place_create(*, data: dict, organisation: Organisation | None, user, note: str = "") -> Place:
    """A place typed by hand (Hub staff in the admin, or a structure's proposal once
    published): a Hub identifier of its own, placed in its commune, the checks of a hand
    edit, and a first line in its history. Raises DomainError (code: invalid)."""
    place = _place_from(proposal_data=data, organisation=organisation)
    place.identifier = f"{IDENTIFIER_PREFIX}{uuid.uuid4().hex[:16]}"
    place.source_updated_on = timezone.localdate()
    place.hub_edited_fields = sorted(
        {*(key for key in data if key in EDITABLE_FIELDS), "source_updated_on"}
    )
    place.hub_edited_at = timezone.now()
    _validate(place)
    place.save()
    PlaceChange.objects.create(
        place=place,
        user=user,
        changes={"création": ["", note or _("fiche créée par l'équipe du Hub")]},
    )
    return place


@transaction.atomic
def place_propose(*, user, organisation: Organisation, data: dict) -> PlaceProposal:
    """Record a new place proposed by a manager of `organisation` and, after commit, tell Hub
    staff. Nothing is public until `place_proposal_approve`.

    Raises DomainError: not_manager (not a manager of that structure), invalid (the fiche
    fails the place's checks, first French message)."""
    if not StructureMembership.objects.filter(
        user=user, organisation=organisation, is_manager=True
    ).exists() and not user_is_hub_staff(user):
        raise DomainError(
            _("Seuls les gestionnaires de cette structure peuvent lui proposer un lieu."),
            code="not_manager",
        )
    proposed = {key: _jsonable(data[key]) for key in EDITABLE_FIELDS if key in data}
    _validate(_place_from(proposal_data=proposed, organisation=organisation))
    proposal = PlaceProposal.objects.create(
        organisation=organisation, proposed_by=user, data=proposed
    )
    from ..tasks import place_proposal_notify as place_proposal_notify_task

    transaction.on_commit(lambda: place_proposal_notify_task.delay(proposal.pk))
    return proposal


def _pending(proposal: PlaceProposal, by) -> PlaceProposal:
    if not user_is_hub_staff(by):
        raise DomainError(
            _("Seule l'équipe du Hub relit les lieux proposés."), code="not_hub_staff"
        )
    proposal = lock_one(PlaceProposal.objects.select_related("organisation"), pk=proposal.pk)
    if proposal.status != PlaceProposal.Status.PENDING:
        raise DomainError(_("Cette proposition a déjà été traitée."), code="not_pending")
    return proposal


@transaction.atomic
def place_proposal_approve(*, proposal: PlaceProposal, by) -> Place:
    """Create the place (public from now on: list, map, open data, API) and tell whoever
    proposed it. Raises DomainError: not_hub_staff, not_pending, invalid."""
    proposal = _pending(proposal, by)
    place = place_create(
        data=proposal.data,
        organisation=proposal.organisation,
        user=proposal.proposed_by,
        note=_("proposé par la structure, publié par l'équipe du Hub"),
    )
    proposal.status, proposal.place = PlaceProposal.Status.APPROVED, place
    proposal.decided_at, proposal.decided_by = timezone.now(), by
    proposal.save(update_fields=["status", "place", "decided_at", "decided_by"])
    audit_log(instance=proposal, action="directory.place_proposal_approve", user=by)
    _notify_after_commit(proposal)
    return place


@transaction.atomic
def place_proposal_refuse(*, proposal: PlaceProposal, by, reason: str) -> PlaceProposal:
    """Refuse with a reason sent to whoever proposed it. Raises DomainError: not_hub_staff,
    not_pending, no_reason."""
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Dites en une phrase pourquoi ce lieu n'est pas publié."), code="no_reason"
        )
    proposal = _pending(proposal, by)
    proposal.status, proposal.refusal_reason = PlaceProposal.Status.REFUSED, reason[:2000]
    proposal.decided_at, proposal.decided_by = timezone.now(), by
    proposal.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
    audit_log(instance=proposal, action="directory.place_proposal_refuse", user=by)
    _notify_after_commit(proposal)
    return proposal


def _notify_after_commit(proposal: PlaceProposal) -> None:
    from ..tasks import place_proposal_notify as place_proposal_notify_task

    transaction.on_commit(lambda: place_proposal_notify_task.delay(proposal.pk))


def place_proposal_notify(*, proposal_pk: int) -> None:
    """Pending: tell Hub staff there is a place to review. Decided: tell whoever proposed it.
    Sending twice is harmless."""
    from core.mail import send_templated_email

    proposal = (
        PlaceProposal.objects.select_related("organisation", "proposed_by", "place")
        .filter(pk=proposal_pk)
        .first()
    )
    if proposal is None:
        return
    if proposal.status == PlaceProposal.Status.PENDING:
        to = sorted(set(user_list_hub_staff().values_list("email", flat=True)) - {""})
    else:
        to = [proposal.proposed_by.email] if proposal.proposed_by else []
    if to:
        send_templated_email(
            template="directory_place_proposal", to=to, context={"proposal": proposal}
        )
