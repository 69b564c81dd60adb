"""Reads of accounts that other apps need."""


def user_has_role(*, user, roles: list[str]) -> bool:
    """Whether `user` (possibly anonymous) belongs to one of the role groups (accounts.roles)."""
    return bool(user) and user.is_authenticated and user.groups.filter(name__in=roles).exists()
