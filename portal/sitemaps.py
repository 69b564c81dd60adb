"""sitemap.xml: Wagtail's pages plus the Django views worth finding: the relay pages, the
upcoming sessions, the directory's places and the numérithèque's equipment."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from core.hub import absolute_url
from directory.models import Place
from events import selectors as event_selectors
from numeritheque import selectors as numeritheque_selectors


class Sitemap(DjangoSitemap):
    """Locations on the configured SITE_URL, whatever host the request came through."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PortalPageSitemap(PageSitemap):
    """Wagtail's pages, on SITE_URL rather than the Wagtail site's hostname and port."""

    def _urls(self, page, protocol, domain):
        urls = []
        for info in super()._urls(page, protocol, domain):
            parts = urlsplit(info["location"])
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            urls.append({**info, "location": absolute_url(path)})
        return urls


class RelaySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["relay:relay", "relay:open_data", "api:openapi-view"]

    def location(self, item):
        return reverse(item)


class PlaceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Place.objects.order_by("pk").only("pk", "updated_at")

    def location(self, place):
        return reverse("directory:place_detail", args=[place.pk])

    def lastmod(self, place):
        return place.updated_at


class ItemSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # Retired equipment is left out, as in the catalogue.
        return (
            numeritheque_selectors.item_catalogue()
            .select_related(None)
            .prefetch_related(None)
            .order_by("pk")
            .only("pk", "slug")
        )

    def location(self, item):
        return reverse("numeritheque:item_detail", args=[item.slug])


class SessionSitemap(Sitemap):
    """Upcoming sessions (cancelled ones included: their page says so), dated by their last
    change, so that a change made by any process shows here at the next request."""

    changefreq = "daily"
    limit = 5000

    def items(self):
        return event_selectors.session_rows_for_sitemap()

    def location(self, row):
        return reverse("events:session_detail", args=[row[0]])

    def lastmod(self, row):
        return row[1]


SITEMAPS = {
    "pages": PortalPageSitemap,
    "relais": RelaySitemap,
    "sessions": SessionSitemap,
    "lieux": PlaceSitemap,
    "materiel": ItemSitemap,
}
