from django.apps import apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver


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
