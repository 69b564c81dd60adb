"""Public agenda feeds (iCalendar and RSS 2.0). The public .ics is built by a Celery task
(events.public_feed) after each committed change of public data (core.data_version, through
events.receivers): serving it never builds it."""

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .selectors import session_list_upcoming

QUEUED_KEY = "events:feed-build-requested"


def public_feed_invalidate() -> None:
    """Ask the worker to rebuild the public feeds (builds asked during a build coalesce)."""
    from .tasks import public_feed_build

    public_feed_build.delay()


def public_feed_request_first_build() -> None:
    """Nothing is built yet (a fresh install): ask for a build, once per half-minute however
    many calendar apps poll meanwhile."""
    if cache.add(QUEUED_KEY, 1, timeout=30):
        public_feed_invalidate()


class AgendaRssFeed(Feed):
    """RSS 2.0 of the upcoming sessions, with the same filters as the agenda."""

    feed_type = Rss201rev2Feed
    title = _("Agenda de la médiation numérique")
    description = _("Les prochaines formations, rencontres et échanges entre pairs.")

    def get_object(self, request):
        from .forms import FeedFilterForm

        return FeedFilterForm.filters_from(request.GET)

    def link(self, obj):
        return "/agenda/"

    def items(self, obj):
        theme = obj.get("theme")
        return session_list_upcoming(
            kind=obj.get("kind"),
            themes=[theme] if theme else None,
            departement=obj.get("departement"),
            limit=100,
        )

    def item_title(self, item):
        local = timezone.localtime(item.start)
        return f"{local:%d/%m/%Y %H:%M} — {item.display_title}"

    def item_description(self, item):
        from .ical import session_location

        status = _("Annulée. ") if item.is_cancelled else ""
        return f"{status}{session_location(item)}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return str(item.uid)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at
