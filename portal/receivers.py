"""The Hub cached for tasks (portal.models.hub_from_site_settings) is forgotten as soon as
its settings change: the next email already carries the new name or logo."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .identity import HUB_CACHE_KEY
from .models import SiteSettings


@receiver([post_save, post_delete], sender=SiteSettings, dispatch_uid="portal_hub_forget")
def hub_forget(**kwargs) -> None:
    cache.delete(HUB_CACHE_KEY)
