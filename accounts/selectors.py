"""Reads of accounts that other apps need, and the one answer to "is this person Hub staff?"
(no other module checks a role group or a permission standing in for one)."""

from .models import User
from .roles import HUB_STAFF


def user_has_role(*, user, roles: list[str]) -> bool:
    """Whether `user` (possibly anonymous) belongs to one of the role groups (accounts.roles)."""
    return bool(user) and user.is_authenticated and user.groups.filter(name__in=roles).exists()


def user_is_hub_staff(user) -> bool:
    """Hub staff: a superuser or a member of the "Équipe du Hub" role. They see everyone's data
    and run the agenda, the directory and the newsletter. Answered once per user object."""
    if not (user and user.is_authenticated):
        return False
    cached = getattr(user, "_is_hub_staff", None)
    if cached is None:
        cached = user.is_superuser or user_has_role(user=user, roles=[HUB_STAFF])
        user._is_hub_staff = cached
    return cached


def user_list_with_role(*, role: str):
    """Active accounts holding `role` (to notify a team, for instance)."""
    return User.objects.filter(groups__name=role, is_active=True)


def user_list_hub_staff():
    """Active Hub staff accounts (to tell the team about something)."""
    return user_list_with_role(role=HUB_STAFF)
