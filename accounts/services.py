"""State changes of accounts: roles, profile, calendar token, data export and deletion, and
the undoing of an address change from the former address."""

from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from core import personal_data
from core.errors import DomainError
from core.locking import lock_one

from .models import User, new_feed_token
from .roles import HUB_STAFF, NUMERITHEQUE_MANAGER, ROLE_PERMISSIONS


def roles_sync() -> None:
    """Create the role groups and grant them the permissions that exist now (idempotent)."""
    for name, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = list(Permission.objects.filter(content_type__app_label__in=spec["apps"]))
        for dotted in spec["codenames"]:
            app_label, codename = dotted.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*wanted)
        root = Page.get_first_root_node()
        if root is not None:
            for codename in spec["wagtail_pages"]:
                permission = Permission.objects.filter(
                    content_type__app_label="wagtailcore", codename=f"{codename}_page"
                ).first()
                if permission:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root, permission=permission
                    )
        collection = Collection.get_first_root_node()
        if collection is not None:
            for codename in spec["wagtail_collections"]:
                app = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
                permission = Permission.objects.filter(
                    content_type__app_label=app, codename=codename
                ).first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=collection, permission=permission
                    )


@transaction.atomic
def user_assign_role(*, user: User, role: str) -> User:
    """Put `user` in the role group `role` (one of accounts.roles)."""
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_role_names", None)  # selectors.user_has_role's answers change
    if role in {HUB_STAFF, NUMERITHEQUE_MANAGER} and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def user_calendar_token_regenerate(*, user: User) -> User:
    """Give the person a new secret feed URL; the old one stops working at once."""
    user.calendar_token = new_feed_token()
    user.save(update_fields=["calendar_token"])
    return user


def user_export_data(*, user: User) -> dict:
    """Everything the portal holds about `user`, app by app, as JSON-ready data."""
    data = {
        "compte": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "role": user.get_field_role_display(),
            "structure": user.employer_name,
            "departement": user.departement,
            "telephone": user.phone,
            "centres_interet": [theme.name for theme in user.interests.all()],
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
        },
        "adresses": [
            {"email": address.email, "verifiee": address.verified}
            for address in user.emailaddress_set.all()
        ],
    }
    for section in personal_data.sections():
        data[section.key] = section.export(user)
    return data


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Erase the person's data in every app, then the account itself, all or nothing."""
    for section in personal_data.sections():
        section.erase(user)
    user.delete()


@transaction.atomic
def user_create(*, email: str, password: str, verified: bool = False, **profile) -> User:
    """Create an account with its primary email address (verified or awaiting verification)."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password=password, **profile)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


@transaction.atomic
def user_get_or_invite(*, email: str, first_name: str = "", last_name: str = "", invited_by=None):
    """The account of `email` if one exists (a registration taken by phone is attached to
    it), otherwise a new account without a password, whose owner is emailed after commit a
    link to « définir votre mot de passe ». Returns (user, created).

    Raises DomainError "invalid_email".
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.utils.translation import gettext as _

    from allauth.account.models import EmailAddress

    from core.errors import DomainError

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("« %(email)s » n'est pas une adresse électronique valide.") % {"email": email},
            code="invalid_email",
        ) from None
    existing = (
        User.objects.filter(email__iexact=email).first()
        or User.objects.filter(emailaddress__email__iexact=email).first()
    )
    if existing is not None:
        return existing, False
    user = User.objects.create_user(
        email=email, password=None, first_name=first_name.strip(), last_name=last_name.strip()
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    if invited_by is not None:
        from core.audit import audit_log

        audit_log(instance=user, action="accounts.user_invite", user=invited_by)
    from .tasks import user_invitation_send as user_invitation_send_task

    pk = user.pk
    transaction.on_commit(lambda: user_invitation_send_task.delay(pk))
    return user, True


def user_invitation_send(*, user: User) -> None:
    """Email the person an account was opened for: a link to choose their password (valid for
    PASSWORD_RESET_TIMEOUT, then « mot de passe oublié » gives a new one)."""
    from django.conf import settings
    from django.urls import reverse

    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    from core.mail import send_templated_email

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    send_templated_email(
        template="accounts_invitation",
        to=[user.email],
        context={
            "user": user,
            "set_password_url": f"{settings.SITE_URL}{path}",
            "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
        },
    )


# How long the former address may undo an address change (the link in the notice sent there).
EMAIL_CHANGE_UNDO_DAYS = 14
_EMAIL_CHANGE_UNDO_SALT = "accounts.email-change-undo"


def email_change_undo_token(*, user: User, from_email: str, to_email: str) -> str:
    """The signed, dated token of the undo link sent to the former address."""
    return signing.dumps(
        {"user": user.pk, "from": from_email, "to": to_email}, salt=_EMAIL_CHANGE_UNDO_SALT
    )


def email_change_undo_read(*, token: str) -> tuple[User, str]:
    """The account and its former address a token undoes. Raises DomainError when the link is
    forged, older than EMAIL_CHANGE_UNDO_DAYS, already used, or the address changed since."""
    try:
        data = signing.loads(
            token, salt=_EMAIL_CHANGE_UNDO_SALT, max_age=EMAIL_CHANGE_UNDO_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        raise DomainError(
            _("Ce lien n'est pas valable ou a expiré : écrivez à l'équipe du Hub."),
            code="undo_invalid",
        ) from None
    user = User.objects.filter(pk=data["user"], email__iexact=data["to"]).first()
    if user is None:
        raise DomainError(
            _(
                "Ce lien a déjà servi, ou l'adresse du compte a changé depuis : connectez-vous "
                "ou écrivez à l'équipe du Hub."
            ),
            code="undo_stale",
        )
    return user, data["from"]


@transaction.atomic
def user_email_change_undo(*, token: str) -> User:
    """Give the account back its former address (primary and verified), drop the new one, and
    close every session by making the password unusable: whoever changed the address is out,
    and the owner chooses a new password from the former address."""
    from allauth.account.models import EmailAddress

    user, former = email_change_undo_read(token=token)
    user = lock_one(User.objects.all(), pk=user.pk)
    taken = EmailAddress.objects.filter(email__iexact=former).exclude(user=user).exists()
    if taken or User.objects.filter(email__iexact=former).exclude(pk=user.pk).exists():
        raise DomainError(
            _(
                "L'adresse %(email)s est maintenant celle d'un autre compte : écrivez à l'équipe du Hub."
            )
            % {"email": former},
            code="undo_taken",
        )
    EmailAddress.objects.filter(user=user).exclude(email__iexact=former).delete()
    EmailAddress.objects.update_or_create(
        user=user, email=former, defaults={"primary": True, "verified": True}
    )
    user.email = former
    user.set_unusable_password()
    user.save(update_fields=["email", "password"])
    return user
