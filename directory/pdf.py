"""The fiche d'orientation as a PDF (WeasyPrint), from the same template as the printable page.

Images come from the portal's own media storage (the Hub's logo) or are inline (the QR codes):
the PDF is built without any request to the network, in a web process or a Celery worker."""

import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string


def _media_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class MediaFetcher(URLFetcher):
        """`data:` URLs as WeasyPrint reads them, media files from storage, nothing else."""

        def fetch(self, url, headers=None):
            for prefix in (settings.SITE_URL + settings.MEDIA_URL, settings.MEDIA_URL):
                if url.startswith(prefix) and prefix.startswith(("http", "/")):
                    name = url.removeprefix(prefix).split("?")[0]
                    with default_storage.open(name) as handle:
                        body = handle.read()
                    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body, {"Content-Type": media_type})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"Ressource hors du portail refusée dans un PDF : {url}")

    return MediaFetcher()


def fiche_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("directory/orientation_fiche_pdf.html", context)
    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_media_fetcher()).write_pdf()
