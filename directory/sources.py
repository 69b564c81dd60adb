"""Published exports re-imported on a schedule: download (bounded in time and size), then the
same import and report as an uploaded file. A broken source never blocks the others."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

import requests

from core.errors import DomainError

from .models import PlaceSource
from .services import places_import

TIMEOUT_SECONDS = 60
CHUNK_BYTES = 64 * 1024


def _download(url: str) -> bytes:
    """The file at `url`; raises DomainError in French when it cannot be had."""
    limit = settings.MAILLAGE_UPLOAD_MAX_BYTES
    try:
        with requests.get(url, timeout=TIMEOUT_SECONDS, stream=True) as response:
            if response.status_code != 200:
                raise DomainError(
                    _("Le serveur a répondu %(status)s pour %(url)s.")
                    % {"status": response.status_code, "url": url},
                    code="http_status",
                )
            data = bytearray()
            for chunk in response.iter_content(CHUNK_BYTES):
                data += chunk
                if len(data) > limit:
                    raise DomainError(
                        _("Fichier trop volumineux à %(url)s.") % {"url": url}, code="too_large"
                    )
    except requests.RequestException as error:
        raise DomainError(
            _("Fichier injoignable (%(url)s) : %(error)s") % {"url": url, "error": error},
            code="unreachable",
        ) from error
    return bytes(data)


def place_source_fetch(*, source: PlaceSource) -> PlaceSource:
    """Download and import one source; its report (or the French reason it failed) is kept on
    it. Running it twice imports the same file twice, which changes nothing the second time."""
    try:
        report = places_import(
            data=_download(source.url),
            filename=source.url.rsplit("/", 1)[-1],
            source=source.source or source.name,
        )
    except DomainError as error:
        source.error = error.message
    else:
        source.report, source.error = report.as_dict(), ""
    source.fetched_at = timezone.now()
    source.save(update_fields=["report", "error", "fetched_at"])
    return source


def place_sources_fetch_all() -> list[PlaceSource]:
    """Every active source, one after the other; each failure stays on its own source."""
    return [
        place_source_fetch(source=source) for source in PlaceSource.objects.filter(is_active=True)
    ]
