"""The Hub's identity (name, postal address, contact, logo) for code below `portal`, which owns
the site settings: portal registers the provider at start-up, so that a certificate rendered by
a Celery worker or an Open Badges issuer names the Hub the editors set, without importing
upward (DESIGN §3: a lower app declares a registry that the higher app fills)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class HubIdentity:
    name: str
    address: str = ""
    email: str = ""
    phone: str = ""
    # A local file path of the logo, for PDFs (WeasyPrint reads it from disk), or "".
    logo_path: str = ""
    url: str = ""


_provider: Callable[[], HubIdentity] | None = None


def hub_identity_provider_register(provider: Callable[[], HubIdentity]) -> None:
    global _provider
    _provider = provider


def hub_identity() -> HubIdentity:
    """The Hub as the site settings describe it; the Wagtail site name before any provider."""
    if _provider is not None:
        return _provider()
    return HubIdentity(name=settings.WAGTAIL_SITE_NAME, url=settings.SITE_URL)
