"""What the agenda does when something happens in the layers below it."""

from django.dispatch import receiver

from core.signals import public_data_changed

from .feeds import public_feed_invalidate


@receiver(public_data_changed, dispatch_uid="events_public_feed_rebuild")
def _rebuild_public_feed(sender, **kwargs) -> None:
    # Any committed change may show in the agenda (a session, a place's address, a page's
    # title): the feed follows the one data-version counter, not a list of models.
    public_feed_invalidate()
