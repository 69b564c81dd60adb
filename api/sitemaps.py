"""sitemap.xml: Wagtail's pages plus the relay pages, which are Django views."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from wagtail.contrib.sitemaps import Sitemap as PageSitemap


class RelaySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["relay:relay", "relay:open_data", "api:openapi-view"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "relais": RelaySitemap}
