from django import template
from django.middleware.csp import get_nonce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.html import json_for_script
from core.hub import absolute_url

register = template.Library()


def _links(request, stream) -> list[dict]:
    """Resolve a menu StreamField into label/href pairs, marking the page being shown."""
    links = []
    path = request.path if request else ""
    for block in stream or []:
        value = block.value
        page = value.get("page")
        # With the request, Wagtail keeps the site's root paths on it: one cache read per
        # request rather than one per link.
        href = page.get_url(request) if page else (value.get("url") or "#")
        links.append(
            {
                "label": value["label"],
                "href": href,
                "current": href not in {"", "#", "/"} and path.startswith(href),
            }
        )
    return links


def _site_settings(context):
    from portal.models import SiteSettings

    request = context.get("request")
    try:
        return request, SiteSettings.for_request(request)
    except (SiteSettings.DoesNotExist, AttributeError):
        return request, None


@register.simple_tag(takes_context=True)
def main_menu(context):
    request, site_settings = _site_settings(context)
    return _links(request, site_settings.main_menu if site_settings else [])


@register.simple_tag(takes_context=True)
def footer_links(context):
    request, site_settings = _site_settings(context)
    return _links(request, site_settings.footer_links if site_settings else [])


@register.simple_tag(takes_context=True)
def social_links(context):
    request, site_settings = _site_settings(context)
    return _links(request, site_settings.social_links if site_settings else [])


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced, for shareable filter links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def paper_agenda_form(context):
    """The "Agenda papier" form (month, département → PDF), shown on the agenda page: it
    opens on the next month that has dates, among the Hub's départements. The same for every
    visitor of a day: rendered once per data version (core.data_version) and day."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import timezone

    from core import data_version
    from core.hub import hub_identity
    from portal.paper import PaperAgendaForm

    departements = hub_identity(context.get("request")).departements
    key = (
        f"portal:paper-form:{data_version.current()}:{timezone.localdate():%Y%m%d}:"
        f"{','.join(departements)}"
    )
    return cache.get_or_set(
        key,
        lambda: render_to_string(
            "portal/paper_form.html", {"form": PaperAgendaForm(hub_departements=departements)}
        ),
        timeout=3600,
    )


@register.simple_tag(takes_context=True)
def site_json_ld(context) -> str:
    """schema.org Organization and WebSite (with its search) for the home page."""
    request = context["request"]
    from portal.models import SiteSettings

    site_settings = SiteSettings.for_request(request)
    home = absolute_url("/")
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
                    "target": absolute_url(reverse("portal:search")) + "?q={search_term_string}",
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
