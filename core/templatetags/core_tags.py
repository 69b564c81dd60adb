from urllib.parse import urlsplit

from django import template
from django.utils.safestring import mark_safe

from core.html import html_sanitise
from core.hub import absolute_url as _absolute_url

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


@register.filter
def clean_html(value) -> str:
    """Stored HTML from outside (a relayed description) shown with its safe subset only, even
    if it was stored before sanitising (core.html.html_sanitise)."""
    return mark_safe(html_sanitise(str(value or "")))  # noqa: S308 - sanitised just above


@register.filter
def active_filter_count(form) -> int:
    """How many filters of a bound search form the visitor has set, for the « Filtrer (2) »
    line that folds the filters away on a phone."""
    if not getattr(form, "is_bound", False):
        return 0
    data = form.data
    count = 0
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
        initial = form.get_initial_for_field(field, name)
        if initial not in (None, "") and [str(value) for value in values] == [str(initial)]:
            continue  # a default sent back with the form (a radius) filters nothing
        count += any(str(value).strip() for value in values if value is not None)
    return count


@register.filter
def absolute_url(path: str) -> str:
    """A path of the portal as the one absolute address we emit (SITE_URL)."""
    return _absolute_url(str(path))
