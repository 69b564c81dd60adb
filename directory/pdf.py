"""The fiche d'orientation as a PDF (WeasyPrint), from the same template as the printable page."""

from django.conf import settings
from django.template.loader import render_to_string


def fiche_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("directory/orientation_fiche_pdf.html", context)
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
