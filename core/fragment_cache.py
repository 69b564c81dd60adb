"""Parts of a page that are the same for every visitor (the agenda's session cards, the
catalogue's training cards), rendered once per data version (core.data_version) and read back
in one round trip: the signed-in people, whom the page cache does not serve, get them too.

A fragment must show nobody's own state (registration, staff links): only rows, which the data
version covers, and what its key names. The version is the one read *before* those rows: read
after, a write committed in between would store old seats under the new number."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe


def render_each(
    template_name: str,
    items: Iterable,
    *,
    version: int | None,
    context: Callable[[object], dict],
    key: Callable[[object], str],
) -> SafeString:
    """`template_name` rendered with `context(item)` for each item, joined; each stored under
    `key(item)` (what its output depends on besides the data version, the language and the
    time zone, which are added). None for `version` renders without the cache."""
    template = get_template(template_name)
    items = list(items)
    seconds = settings.MAILLAGE_FRAGMENT_CACHE_SECONDS
    if version is None or not seconds:
        return mark_safe("".join(template.render(context(item)) for item in items))  # noqa: S308 (rendered templates)
    prefix = (
        f"fragment:{template_name}:{version}:{translation.get_language()}:"
        f"{timezone.get_current_timezone_name()}:"
    )
    keys = [prefix + key(item) for item in items]
    stored = cache.get_many(keys)
    rendered = {
        name: template.render(context(item))
        for name, item in zip(keys, items, strict=True)
        if name not in stored
    }
    if rendered:
        cache.set_many(rendered, seconds)
    stored.update(rendered)
    return mark_safe("".join(stored[name] for name in keys))  # noqa: S308 (rendered templates)
