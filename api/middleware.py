"""What every response of the open API shares: CORS open for reading, conditional GET
(`ETag` from the body, `Last-Modified` from core.data_version, 304 when the client is up to date)
and a per-IP rate limit for anonymous clients. One middleware, scoped to /api/, rather than
a dependency (django-cors-headers) for three headers."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date
from django.utils.translation import gettext as _

from core import data_version
from core.client_ip import client_ip

PREFIX = "/api/"
# Documents that change with the code, not with the data: no Last-Modified from the data.
STATIC_SUFFIXES = ("/openapi.json", "/docs")
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _rate_limited(request) -> int | None:
    """Seconds to wait when this anonymous client spent its budget for the window, else None."""
    limit = settings.MAILLAGE_API_RATE_LIMIT
    if not limit or request.user.is_authenticated:
        return None
    requests, seconds = limit
    window = int(time.time() // seconds)
    key = f"api:rate:{client_ip(request)}:{window}"
    cache.add(key, 0, seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 1)
        count = 1
    if count > requests:
        return int(seconds - time.time() % seconds) + 1
    return None


class OpenApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        wait = _rate_limited(request)
        if wait is not None:
            response = JsonResponse(
                {
                    "detail": _(
                        "Trop de requêtes : réessayez dans %(seconds)s secondes, ou "
                        "téléchargez les données ouvertes complètes."
                    )
                    % {"seconds": wait}
                },
                status=429,
            )
            response["Retry-After"] = str(wait)
            return _cors(response)
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = self._conditional(request, response)
        return _cors(response)

    def _conditional(self, request, response):
        if not response.has_header("ETag"):
            set_response_etag(response)
        last_modified = None
        if not request.path.endswith(STATIC_SUFFIXES):
            last_modified = data_version.changed_at().timestamp()
            response["Last-Modified"] = http_date(last_modified)
        response.setdefault("Cache-Control", "public, max-age=60")
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
