"""The Hub's identity read from the site settings, registered in core.hub: those of the
request's site when there is one (Wagtail keeps them on the request), otherwise those of the
default site, kept in the shared cache until they are saved again (portal.receivers), so that
a newsletter's thousands of messages or a batch of certificates read them once."""

import dataclasses

from django.conf import settings
from django.core.cache import cache

from wagtail.models import Site

from core.hub import HubIdentity, absolute_url

HUB_CACHE_KEY = "portal:hub"


def _identity(site_settings) -> HubIdentity:
    from .models import departement_list

    def logo() -> tuple[str, str]:
        if not site_settings.logo_id:
            return "", ""
        image = site_settings.logo
        try:
            path = image.file.path
        except (NotImplementedError, ValueError):  # remote storage: no local path
            path = ""
        return path, absolute_url(image.file.url)

    return HubIdentity(
        name=site_settings.hub_name,
        address=site_settings.address,
        email=site_settings.contact_email,
        phone=site_settings.contact_phone,
        url=settings.SITE_URL,
        colour=site_settings.brand_colour,
        tagline=site_settings.tagline,
        departements=tuple(departement_list(site_settings.departements)),
        logo_loader=logo,
    )


def _default_site_identity() -> HubIdentity:
    from .models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return HubIdentity(name=settings.WAGTAIL_SITE_NAME, url=settings.SITE_URL)
    identity = _identity(SiteSettings.for_site(site))
    # Resolved once, so that the cached value holds no database object.
    return dataclasses.replace(identity, logo=identity._logo(), logo_loader=None)


def hub_identity_from_settings(request=None) -> HubIdentity:
    from .models import SiteSettings

    if request is not None:
        return _identity(SiteSettings.for_request(request))
    return cache.get_or_set(HUB_CACHE_KEY, _default_site_identity, 3600)
