from django.apps import apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from allauth.account.signals import password_reset


@receiver(post_migrate, dispatch_uid="accounts_roles_sync")
def sync_roles_after_migrate(sender, **kwargs):
    """Every app's permissions exist only once the last app has migrated: grant them then.

    A flush (test isolation) also sends post_migrate, without a plan: the groups then come back
    with the data being restored, and creating them here would collide with it."""
    if kwargs.get("plan") is None:
        return
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    from .services import roles_sync

    roles_sync()


@receiver(password_reset, dispatch_uid="accounts_reset_verifies_address")
def verify_address_on_password_reset(sender, request, user, **kwargs):
    """The reset link reached the person's mailbox: their address is proven (an account Hub
    staff opened for someone is activated this way, without a second email)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
