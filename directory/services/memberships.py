"""People and their structures: joining one at sign-up, asking to manage it (« je gère cette
structure »), and Hub staff deciding on that request."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import STRUCTURE_MANAGER
from accounts.selectors import user_is_hub_staff
from accounts.services import user_assign_role
from core.audit import audit_log
from core.errors import DomainError
from core.locking import lock_one

from ..models import Organisation, StructureMembership


@transaction.atomic
def membership_join(
    *, user, organisation: Organisation, wants_to_manage: bool
) -> StructureMembership:
    """Make `user` a member of `organisation` (idempotent); `wants_to_manage` records a request
    to manage it, which Hub staff approve or refuse. Never makes anyone a manager by itself."""
    membership, _created = StructureMembership.objects.get_or_create(
        user=user, organisation=organisation
    )
    if wants_to_manage and not membership.is_manager and not membership.manager_requested_at:
        membership.manager_requested_at = timezone.now()
        membership.save(update_fields=["manager_requested_at"])
    return membership


def _pending(membership: StructureMembership, by) -> StructureMembership:
    if not user_is_hub_staff(by):
        raise DomainError(
            _("Seule l'équipe du Hub décide qui gère une structure."), code="not_hub_staff"
        )
    membership = lock_one(StructureMembership.objects.select_related("user"), pk=membership.pk)
    if membership.manager_requested_at is None:
        raise DomainError(_("Cette demande a déjà été traitée."), code="not_pending")
    return membership


@transaction.atomic
def membership_manager_approve(*, membership: StructureMembership, by) -> StructureMembership:
    """Make the person a manager of the structure (and a structure manager: they may then book
    the numérithèque for it). Raises DomainError: not_hub_staff, not_pending."""
    membership = _pending(membership, by)
    membership.is_manager = True
    membership.manager_requested_at = None
    membership.save(update_fields=["is_manager", "manager_requested_at"])
    user_assign_role(user=membership.user, role=STRUCTURE_MANAGER)
    audit_log(instance=membership, action="directory.membership_manager_approve", user=by)
    return membership


@transaction.atomic
def membership_manager_refuse(*, membership: StructureMembership, by) -> StructureMembership:
    """Keep the person a plain member. Raises DomainError: not_hub_staff, not_pending."""
    membership = _pending(membership, by)
    membership.manager_requested_at = None
    membership.save(update_fields=["manager_requested_at"])
    audit_log(instance=membership, action="directory.membership_manager_refuse", user=by)
    return membership
