"""Reads of accounts that other apps need, and the one answer to "is this person Hub staff?"
(no other module checks a role group or a permission standing in for one)."""

from django.conf import settings

from .models import User
from .roles import HUB_STAFF, NUMERITHEQUE_MANAGER


def user_has_role(*, user, roles: list[str]) -> bool:
    """Whether `user` (possibly anonymous) belongs to one of the role groups (accounts.roles).
    The person's groups are read once per user object: a page asks about several roles (the
    second factor, Mon espace's sections), one query answers them all."""
    if not (user and user.is_authenticated):
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = names
    return not names.isdisjoint(roles)


def user_is_hub_staff(user) -> bool:
    """Hub staff: a superuser or a member of the "Équipe du Hub" role. They see everyone's data
    and run the agenda, the directory and the newsletter."""
    return (
        bool(user)
        and user.is_authenticated
        and (user.is_superuser or user_has_role(user=user, roles=[HUB_STAFF]))
    )


def user_holds_permission(*, user, permission: str) -> bool:
    """Whether `user` holds a Django permission ("app.codename"), through a role or directly:
    what a screen guarded by that permission asks (a menu shows only the screens it opens)."""
    return bool(user) and user.is_authenticated and user.has_perm(permission)


def user_list_with_role(*, role: str):
    """Active accounts holding `role` (to notify a team, for instance)."""
    return User.objects.filter(groups__name=role, is_active=True)


def user_list_hub_staff():
    """Active Hub staff accounts (to tell the team about something)."""
    return user_list_with_role(role=HUB_STAFF)


def user_sees_everyone(user) -> bool:
    """The roles that open the admin and see other people's data: Hub staff (superusers
    included) and the numérithèque manager. `is_staff` is set with those roles
    (services.user_assign_role), so most answers need no query."""
    if not (user and user.is_authenticated):
        return False
    return (
        user.is_staff
        or user_is_hub_staff(user)
        or user_has_role(user=user, roles=[NUMERITHEQUE_MANAGER])
    )


def user_lacks_required_second_factor(user) -> bool:
    """Whether `user` must set up two-factor authentication before going on: on when
    MAILLAGE_STAFF_MFA_REQUIRED is (production's default) and the person sees everyone's data
    (`user_sees_everyone`) without an authenticator app or a security key yet."""
    if not settings.MAILLAGE_STAFF_MFA_REQUIRED or not user_sees_everyone(user):
        return False
    return not user_has_second_factor(user)


def user_has_second_factor(user, *, besides=None) -> bool:
    """An authenticator app or a security key (recovery codes alone are no second factor);
    `besides`: an authenticator not to count (the one about to be removed)."""
    from allauth.mfa.models import Authenticator

    authenticators = Authenticator.objects.filter(user_id=user.pk).exclude(
        type=Authenticator.Type.RECOVERY_CODES
    )
    if besides is not None:
        authenticators = authenticators.exclude(pk=besides.pk)
    return authenticators.exists()
