"""Whole-page cache for anonymous visitors, invalidated by any write to the database.

Most visits are anonymous reads of the same few pages (home, agenda, catalogue, directory). A
cached page is keyed by the data version (core.data_version), which every committed write of
public data moves, so a published training, a new registration (seats left) or an edited place
is visible at once; the time limit only bounds what depends on the clock ("ouvert maintenant",
upcoming dates).

Only responses that cannot depend on the visitor are stored: GET, no session or message
cookie, no CSRF token rendered, no cookie set, a 200 HTML response. The middleware sits inside
the security and CSP middleware, so a cached page still gets fresh headers (and nonce).

The cache is bounded, so that a flood of query strings cannot fill Redis and evict what else
lives there (allauth's rate-limit counters): a view declares the query parameters it reads
(`reads_query` on a view, `page_cache_query` on a page type); a request carrying any other one
bypasses the cache, and each view stores at most `MAILLAGE_PAGE_CACHE_MAX_PER_VIEW` pages per
data version.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from . import data_version

HEADER = "X-Maillage-Cache"
# What views say to the outer middleware besides headers (the widget may be framed anywhere).
KEPT_ATTRIBUTES = ("xframe_options_exempt", "_csp_config", "_csp_ro_config")


def reads_query(*names: str):
    """Declare the query parameters a view reads: only requests limited to those are cached."""

    def decorate(view):
        view.page_cache_query = frozenset(names)
        return view

    return decorate


def declare_view(request, *, view_id: str, names) -> None:
    """Say which view answers this request and what it reads (Wagtail pages, see
    core/wagtail_hooks.py: their URL resolves to Wagtail's one serve view)."""
    request.page_cache_view = (view_id, frozenset(names))


def _declared(request) -> tuple[str, frozenset]:
    if hasattr(request, "page_cache_view"):
        return request.page_cache_view
    match = request.resolver_match
    if match is None:
        return "", frozenset()
    return match.view_name or match._func_path, getattr(match.func, "page_cache_query", frozenset())


def _within_cap(view_id: str) -> bool:
    """Count one more page for this view under this data version; False once past the cap."""
    counter = f"page-cache:count:{data_version.current()}:{view_id}"
    cache.add(counter, 0, _seconds())
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        return False
    return count <= settings.MAILLAGE_PAGE_CACHE_MAX_PER_VIEW


def _seconds() -> int:
    return getattr(settings, "MAILLAGE_PAGE_CACHE_SECONDS", 0)


def _cacheable_request(request) -> bool:
    if not _seconds() or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    excluded = getattr(settings, "MAILLAGE_PAGE_CACHE_EXCLUDED_PREFIXES", ())
    return not request.path.startswith(tuple(excluded))


def _key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"page-cache:{data_version.current()}:{request.get_host()}:{language}:{digest}"


def _cacheable_response(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


class AnonymousPageCacheMiddleware:
    """See the module docstring; off when `MAILLAGE_PAGE_CACHE_SECONDS` is 0."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers, attributes = stored
            response = HttpResponse(content, headers=headers)
            for name, value in attributes.items():
                setattr(response, name, value)
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if (
            self._anonymous(request)
            and _cacheable_response(request, response)
            and self._within_bounds(request)
        ):
            attributes = {
                name: getattr(response, name) for name in KEPT_ATTRIBUTES if hasattr(response, name)
            }
            cache.set(key, (response.content, dict(response.headers), attributes), _seconds())
            response[HEADER] = "miss"
        return response

    @staticmethod
    def _within_bounds(request) -> bool:
        view_id, names = _declared(request)
        return bool(view_id) and set(request.GET) <= names and _within_cap(view_id)

    @staticmethod
    def _anonymous(request) -> bool:
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
