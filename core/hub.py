"""The Hub's identity and territory (name, address, contact, logo, colour, départements) for
code below `portal`, which owns the site settings: portal registers the provider at start-up,
so that a certificate rendered by a Celery worker, an email, a poster or an agenda filter's
default names the Hub the editors set, without importing upward (DESIGN §3: a lower app
declares a registry that the higher app fills). Also the one absolute form of our links."""

from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings


@dataclass(frozen=True)
class HubIdentity:
    name: str
    address: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""
    colour: str = "#1d3f8f"
    tagline: str = ""
    departements: tuple[str, ...] = ()
    # The logo as (local file path for PDFs, absolute URL for emails), or a loader that finds
    # them on demand: the filters and defaults that read the Hub on every request never pay
    # for the image.
    logo: tuple[str, str] = ("", "")
    logo_loader: Callable[[], tuple[str, str]] | None = field(
        default=None, repr=False, compare=False
    )

    def _logo(self) -> tuple[str, str]:
        return self.logo_loader() if self.logo_loader else self.logo

    @property
    def logo_path(self) -> str:
        return self._logo()[0]

    @property
    def logo_url(self) -> str:
        return self._logo()[1]


_provider: Callable[..., HubIdentity] | None = None


def hub_identity_provider_register(provider: Callable[..., HubIdentity]) -> None:
    """`provider(request=None)` returns the Hub; portal registers it in ready()."""
    global _provider
    _provider = provider


def hub_identity(request=None) -> HubIdentity:
    """The Hub as the site settings describe it (those of the request's site when one is
    given, read once per request); the Wagtail site name before any provider."""
    if _provider is not None:
        return _provider(request)
    return HubIdentity(name=settings.WAGTAIL_SITE_NAME, url=settings.SITE_URL)


def hub_from_email(request=None) -> str:
    """Our sending address under the Hub's name: « Hub numérique Bretagne <…@…> »."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    name = hub_identity(request).name.replace("\\", "").replace('"', "")
    # Left unencoded: Django encodes a non-ASCII display name itself (RFC 2047) when it sends.
    return f'"{name}" <{address}>'


def absolute_url(path: str) -> str:
    """The one absolute form of every link the portal emits (sitemap, feeds, JSON-LD, emails,
    printouts): the configured SITE_URL, never the host a request happened to use."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + ("" if path.startswith("/") else "/") + path
