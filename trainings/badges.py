"""Open Badges 2.0 hosted verification (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html):
the Hub is the Issuer, each training a BadgeClass, each certificate an Assertion, all JSON-LD at
stable URLs on the portal. A backpack verifies a hosted assertion by fetching its `id`; a revoked
certificate answers 410 with `revoked: true`, as the specification asks. The assertion's URL
carries the certificate's signed identifier, so a badge is verified like the certificate."""

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from core.hub import hub_identity

from .certificates import certificate_token, certificate_verify_url

CONTEXT = "https://w3id.org/openbadges/v2"


def _absolute(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def issuer_json() -> dict:
    hub = hub_identity()
    issuer = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": _absolute("trainings:badge_issuer"),
        "name": hub.name,
        "url": settings.SITE_URL + "/",
    }
    if hub.email:
        issuer["email"] = hub.email
    return issuer


def badge_image_svg(title: str) -> str:
    """A plain round badge with the training's title, as an SVG data URI."""
    from urllib.parse import quote

    label = escape(title[:40])
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        '<circle cx="128" cy="128" r="120" fill="#00528c"/>'
        '<circle cx="128" cy="128" r="104" fill="none" stroke="#fff" stroke-width="4"/>'
        f'<text x="128" y="136" font-family="sans-serif" font-size="14" fill="#fff" '
        f'text-anchor="middle">{label}</text></svg>'
    )
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


def badge_class_json(training) -> dict:
    """The badge of a training: its summary, its themes and skills (the taxonomy) as tags."""
    themes = [theme.name for theme in training.themes.all()]
    competences = [competence.name for competence in training.competences.all()]
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": _absolute("trainings:badge_class", pk=training.pk),
        "name": training.title,
        "description": training.summary,
        "image": badge_image_svg(training.title),
        "criteria": {
            "id": training.full_url,
            "narrative": "Avoir suivi une session de la formation, présence notée par le Hub.",
        },
        "issuer": _absolute("trainings:badge_issuer"),
        "tags": [*themes, *competences],
    }


def assertion_url(certificate) -> str:
    return _absolute("trainings:badge_assertion", token=certificate_token(certificate.code))


def assertion_json(certificate, *, email: str) -> dict:
    """The hosted assertion of a certificate. The recipient is the person's email, hashed
    with a salt (SHA-256) so that the public JSON does not expose it."""
    if certificate.is_revoked:
        return {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": assertion_url(certificate),
            "revoked": True,
            "revocationReason": certificate.revoke_reason,
        }
    salt = certificate.code
    identity = hashlib.sha256((email.lower() + salt).encode()).hexdigest()
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(certificate),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": f"sha256${identity}",
        },
        "badge": _absolute("trainings:badge_class", pk=certificate.training_id),
        "issuedOn": certificate.issued_at.isoformat(),
        "verification": {"type": "hosted"},
        "evidence": certificate_verify_url(certificate),
    }
