"""Public agenda feeds (iCalendar and RSS 2.0). The public .ics is built by a Celery task
(events.public_feed) after each committed change of public data (core.data_version, through
events.receivers): serving it never builds it."""

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from core.hub import absolute_url

from .selectors import session_list_upcoming

QUEUED_KEY = "events:feed-build-requested"
# A lost task (broker restart) blocks no later change for long: the beat builds every 10 minutes.
QUEUED_SECONDS = 600
EVENT_NAMESPACE = "http://purl.org/rss/1.0/modules/event/"


def public_feed_invalidate() -> None:
    """Ask the worker to rebuild the public feeds, unless a build is already waiting in the
    queue: the flag is cleared by the task as it starts, so a change made during a build still
    queues the next one (and builds asked during a build coalesce, events.public_feed)."""
    from .tasks import public_feed_build

    if cache.add(QUEUED_KEY, 1, timeout=QUEUED_SECONDS):
        public_feed_build.delay()


def public_feed_request_first_build() -> None:
    """Nothing is built yet (a fresh install): ask for a build, once however many calendar
    apps poll meanwhile."""
    public_feed_invalidate()


class EventRss(Rss201rev2Feed):
    """RSS 2.0 with the RSS 1.0 event module (ev:startdate, ev:enddate, ev:location,
    ev:status), so that another agenda can relay ours with the real dates of each session."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:ev": EVENT_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("ev:startdate", item["ev_start"])
        handler.addQuickElement("ev:enddate", item["ev_end"])
        handler.addQuickElement("ev:location", item["ev_location"])
        if item["ev_cancelled"]:
            handler.addQuickElement("ev:status", "cancelled")


class AgendaRssFeed(Feed):
    """RSS 2.0 of the upcoming sessions, with the same filters as the agenda. A cancelled
    session stays listed, and says so first in its title and description (« Annulée »)."""

    feed_type = EventRss
    title = _("Agenda de la médiation numérique")
    description = _("Les prochaines formations, rencontres et échanges entre pairs.")

    def get_object(self, request):
        from .forms import FeedFilterForm

        return FeedFilterForm.filters_from(request.GET)

    def link(self, obj):
        return absolute_url("/agenda/")

    def get_feed(self, obj, request):
        """Every link on SITE_URL, the feed's own address included (Django would take the
        request's host for it)."""
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute_url(request.get_full_path())
        return feed

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
        title = f"{local:%d/%m/%Y %H:%M} — {item.display_title}"
        return f"{_('Annulée')} — {title}" if item.is_cancelled else title

    def item_extra_kwargs(self, item):
        from .ical import session_location

        return {
            "ev_start": item.start.isoformat(),
            "ev_end": item.end.isoformat(),
            "ev_location": session_location(item),
            "ev_cancelled": item.is_cancelled,
        }

    def item_description(self, item):
        from .ical import session_location

        if item.is_cancelled:
            reason = f" {item.cancel_reason}" if item.cancel_reason else ""
            return f"{_('Annulée.')}{reason} {session_location(item)}"
        return session_location(item)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return str(item.uid)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at
