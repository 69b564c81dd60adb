"""Public agenda feeds (iCalendar and RSS 2.0). The public .ics is cached per filter set and
the whole cache is invalidated, by bumping a version number, whenever a session or a
registration changes: serving the feed never rebuilds it on every request."""

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .selectors import session_feed_ics, session_list_upcoming

VERSION_KEY = "events:feed-version"
FEED_TIMEOUT = 60 * 60


def public_feed_invalidate() -> None:
    """Make every cached public feed stale (called after each committed change)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def public_feed_ics(*, kind=None, theme=None, departement=None) -> bytes:
    """The public agenda as iCalendar, from the cache when nothing changed since."""
    theme_key = theme.pk if theme else ""
    key = f"events:feed:{_version()}:{kind or ''}:{theme_key}:{departement or ''}"
    content = cache.get(key)
    if content is None:
        sessions = session_list_upcoming(
            kind=kind,
            themes=[theme] if theme else None,
            departement=departement,
        ).prefetch_related(None)
        content = session_feed_ics(
            sessions=sessions, name=str(_("Agenda de la médiation numérique"))
        )
        cache.set(key, content, FEED_TIMEOUT)
    return content


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
