"""sitemap.xml: Wagtail's pages plus the Django views worth finding: the relay pages, the
directory's places and the numérithèque's equipment."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from directory.models import Place
from numeritheque import selectors as numeritheque_selectors


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


SITEMAPS = {
    "pages": PageSitemap,
    "relais": RelaySitemap,
    "lieux": PlaceSitemap,
    "materiel": ItemSitemap,
}
