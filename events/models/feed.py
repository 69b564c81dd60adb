"""The public feed's events, written once per version of their session."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import Session


class FeedEvent(models.Model):
    """A session's VEVENT as the public feed writes it (without BEGIN and DTSTAMP, which every
    build adds), with the fingerprint of everything it was written from: the session, its
    page's title and description, its venue or commune, and the writer's settings. A build
    rewrites only the events whose fingerprint changed and concatenates the rest."""

    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="feed_event",
        verbose_name=_("session"),
    )
    stamp = models.CharField(_("empreinte"), max_length=32)
    block = models.TextField(_("événement iCalendar"))

    class Meta:
        verbose_name = _("événement du flux public")
        verbose_name_plural = _("événements du flux public")

    def __str__(self) -> str:
        return str(self.session_id)
