from urllib.parse import urlsplit

from django import template

register = template.Library()

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


@register.filter
def safe_url(value) -> str:
    """The link itself if its scheme is a web, mail or phone one, else nothing: a stored
    `javascript:` link (entered before validation, or imported) is never rendered as a link."""
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in SAFE_SCHEMES else ""
