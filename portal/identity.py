"""The Hub's identity read from the default site's settings, registered in core.hub."""

from django.conf import settings

from wagtail.models import Site

from core.hub import HubIdentity


def hub_identity_from_settings() -> HubIdentity:
    from .models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return HubIdentity(name=settings.WAGTAIL_SITE_NAME, url=settings.SITE_URL)
    site_settings = SiteSettings.for_site(site)
    logo_path = ""
    if site_settings.logo_id:
        try:
            logo_path = site_settings.logo.file.path
        except (NotImplementedError, ValueError):  # remote storage: no local path
            logo_path = ""
    return HubIdentity(
        name=site_settings.hub_name,
        address=site_settings.address,
        email=site_settings.contact_email,
        phone=site_settings.contact_phone,
        logo_path=logo_path,
        url=settings.SITE_URL,
    )
