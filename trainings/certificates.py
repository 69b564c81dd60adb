"""What makes a certificate checkable by anyone: its signed identifier (the short URL and
the QR code point to the public verification page), and its printout (one A4 page per
certificate, rendered by WeasyPrint, with the Hub's identity from the site settings).

The identifier is the certificate's code signed with django.core.signing under its own salt:
the server key signs, SECRET_KEY_FALLBACKS keep what older keys signed verifiable after a
rotation, and a forged or mistyped identifier fails the signature before any query. The HMAC
is cut to 16 base64 characters (96 bits) so that the printed URL stays short enough to type."""

import datetime

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

import segno

from core.hub import hub_identity

SALT = "trainings.certificate"
SIGNATURE_LENGTH = 16


class ShortSigner(signing.Signer):
    """Django's Signer (same keys, same fallbacks, constant-time check), shorter signature."""

    def signature(self, value, key=None):
        return super().signature(value, key)[:SIGNATURE_LENGTH]


def _signer() -> ShortSigner:
    return ShortSigner(salt=SALT, sep=".")


def certificate_token(code: str) -> str:
    """The signed identifier printed on the certificate: « K7Q2M9XD.<signature> »."""
    return _signer().sign(code)


def certificate_code_from_token(token: str) -> str | None:
    """The certificate code a token carries, or None when the signature does not hold."""
    try:
        return _signer().unsign(token)
    except signing.BadSignature:
        return None


def certificate_verify_url(certificate) -> str:
    """The absolute short URL of the public verification page."""
    path = reverse("certificate_verify", kwargs={"token": certificate_token(certificate.code)})
    return settings.SITE_URL + path


def certificate_qr_svg(url: str) -> str:
    """A QR code of `url` as an SVG data URI (vector: sharp at any print resolution)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=4)


def session_attended_minutes(*, start, end, declared_hours) -> int:
    """The session's real duration. A session held on one day counts from its start to its
    end; one spanning several days does not say its daily hours, so it counts the training's
    declared duration instead of the nights in between."""
    if timezone.localdate(start) == timezone.localdate(end):
        return int((end - start) / datetime.timedelta(minutes=1))
    return int(float(declared_hours or 0) * 60)


def certificates_pdf(*, certificates) -> bytes:
    """One PDF, one A4 page per certificate (a session's certificates print at once)."""
    from weasyprint import HTML

    pages = []
    for certificate in certificates:
        url = certificate_verify_url(certificate)
        pages.append({"certificate": certificate, "url": url, "qr": certificate_qr_svg(url)})
    html = render_to_string(
        "trainings/certificate.html",
        {"pages": pages, "hub": hub_identity(), "today": timezone.localdate()},
    )
    return HTML(string=html, base_url=settings.SITE_URL + "/").write_pdf()
