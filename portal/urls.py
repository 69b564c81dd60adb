from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from trainings import views as trainings_views

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The undo link of the notice sent to the former address (portal.views.email_change_undo).
    path(
        "comptes/adresse/retablir/<str:token>/",
        views.email_change_undo,
        name="email_change_undo",
    ),
    path("comptes/", include("allauth.urls")),
    path("", include("portal.urls_portal")),
    path("annuaire/", include("directory.urls")),
    path("territoire/", include("territory.urls")),
    path("rapports/", include("reports.urls")),
    path("agenda/", include("events.urls")),
    path("lettre/", include("newsletter.urls")),
    path("numeritheque/", include("numeritheque.urls")),
    path("formation/", include("trainings.urls")),
    # The short URL printed on every certificate, under its QR code.
    path("v/<str:token>/", trainings_views.certificate_verify, name="certificate_verify"),
    path("echanges/", include("peer_exchange.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.urls_site")),
    path("robots.txt", views.robots_txt),
    path("healthz", views.healthz),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = views.permission_denied
