"""The portal's URLs plus one page type it does not have, wider than a phone, published in
the sitemap as a new page would be: the phone test must find it and fail on it."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path, reverse

from wagtail.contrib.sitemaps.views import sitemap

from portal.sitemaps import SITEMAPS
from portal.urls import urlpatterns as portal_urlpatterns

WIDE = Template(
    '{% extends "base.html" %}{% block content %}'
    '<table><tr><td style="min-width: 40rem">Un tableau trop large</td></tr></table>'
    "{% endblock %}"
)


def wide_page(request):
    return HttpResponse(WIDE.render(RequestContext(request)))


class NewPageSitemap(Sitemap):
    def items(self):
        return ["wide_page"]

    def location(self, item):
        return reverse(item)


urlpatterns = [
    path("nouvelle-page/", wide_page, name="wide_page"),
    path("sitemap.xml", sitemap, {"sitemaps": {**SITEMAPS, "nouveau": NewPageSitemap}}),
    *portal_urlpatterns,
]
