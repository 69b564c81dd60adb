"""Reads of the directory that other apps need."""

from .models import Organisation, StructureMembership


def organisation_list_managed_by(*, user) -> list[Organisation]:
    """The structures `user` manages (empty for anyone else)."""
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__is_manager=True).order_by(
            "name"
        )
    )


def user_manages_organisation(*, user, organisation: Organisation) -> bool:
    return StructureMembership.objects.filter(
        user=user, organisation=organisation, is_manager=True
    ).exists()
