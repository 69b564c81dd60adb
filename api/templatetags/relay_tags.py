from django import template
from django.middleware.csp import get_nonce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.html import json_for_script
from portal.models import SiteSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def site_json_ld(context) -> str:
    """schema.org Organization and WebSite (with its search) for the home page."""
    request = context["request"]
    site_settings = SiteSettings.for_request(request)
    home = request.build_absolute_uri("/")
    organization = {
        "@type": "Organization",
        "@id": f"{home}#organisation",
        "name": site_settings.hub_name,
        "url": home,
    }
    if site_settings.contact_email:
        organization["email"] = site_settings.contact_email
    if site_settings.address:
        organization["address"] = site_settings.address
    data = {
        "@context": "https://schema.org",
        "@graph": [
            organization,
            {
                "@type": "WebSite",
                "name": site_settings.hub_name,
                "url": home,
                "publisher": {"@id": f"{home}#organisation"},
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": request.build_absolute_uri(reverse("portal:search"))
                    + "?q={search_term_string}",
                    "query-input": "required name=search_term_string",
                },
            },
        ],
    }
    payload = json_for_script(data)
    # The nonce is lazy and falsy until first read: str() generates it for the header too.
    nonce = get_nonce(request)
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        "" if nonce is None else str(nonce),
        mark_safe(payload),  # noqa: S308 (JSON built here, "<", ">" and "&" escaped)
    )
