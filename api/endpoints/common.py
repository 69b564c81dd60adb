"""What the endpoint modules share: error schemas, pagination, absolute URLs,
dates in Europe/Paris and the distance search."""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import ExpressionWrapper, F, FloatField, QuerySet
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from ninja import Schema
from ninja.pagination import PaginationBase
from pydantic import Field

EARTH_RADIUS_KM = 6371.0
DEFAULT_PAGE_SIZE = 20
# Free text never carries control characters (PostgreSQL refuses NUL in a string literal).
TEXT_PATTERN = r"^[^\x00-\x1f]*$"
# Database integer keys are 64-bit: a larger id is a 404, not an overflow.
MAX_ID = 2**63 - 1


class ErrorOut(Schema):
    detail: str = Field(description="Le message d'erreur, en français.")
    errors: list[dict[str, str]] | None = Field(
        None, description="Pour un paramètre invalide : le paramètre et la raison."
    )


# Error responses every list or detail endpoint may give (documented for clients and fuzzing).
ERRORS = {400: ErrorOut, 422: ErrorOut, 429: ErrorOut}
DETAIL_ERRORS = {404: ErrorOut, **ERRORS}


class UpcomingSessionsOut(Schema):
    """What a page with sessions (a training, a peer-exchange format) says of its agenda."""

    sessions_a_venir: int = Field(description="Nombre de sessions programmées à venir.")
    prochaine_session: datetime.datetime | None = Field(
        None, description="Début de la prochaine session (ISO 8601, heure de Paris)."
    )
    mise_a_jour: datetime.datetime | None = None


def upcoming_sessions_out(page) -> dict:
    """The `UpcomingSessionsOut` values of a page annotated by its app's selectors."""
    return {
        "sessions_a_venir": page.upcoming_sessions_total,
        "prochaine_session": paris(page.next_session_start),
        "mise_a_jour": paris(page.last_published_at),
    }


@dataclass(frozen=True)
class Rows:
    """What a paginated endpoint returns: its queryset, and how one object is written out
    (the writers need the request for absolute URLs, which a schema resolver would not see)."""

    queryset: QuerySet
    serialize: Callable[[Any], dict]


class PageNumbers(PaginationBase):
    """Django Ninja's pagination, in the page shape the API has always given: `count`,
    `page`, `page_size`, `pages`, `next`, `previous`, `results` (one COUNT, one SELECT, plus
    the queryset's prefetches). Use with `@paginate(PageNumbers)` and `response=list[Item]`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000, description="Numéro de page, à partir de 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=settings.MAILLAGE_API_MAX_PAGE_SIZE,
            description=f"Résultats par page (au plus {settings.MAILLAGE_API_MAX_PAGE_SIZE}).",
        )

    class Output(Schema):
        count: int = Field(description="Nombre total de résultats.")
        page: int = Field(description="Numéro de la page (à partir de 1).")
        page_size: int = Field(description="Nombre de résultats par page.")
        pages: int = Field(description="Nombre de pages.")
        next: str | None = Field(None, description="Adresse de la page suivante.")
        previous: str | None = Field(None, description="Adresse de la page précédente.")
        results: list[Any] = Field(description="Les résultats de la page.")

    items_attribute = "results"

    def paginate_queryset(self, queryset: Rows, pagination: Input, request, **params) -> dict:
        count = queryset.queryset.count()
        size = pagination.page_size
        pages = max(math.ceil(count / size), 1)
        start = (pagination.page - 1) * size
        objects = list(queryset.queryset[start : start + size]) if start < count else []

        def link(number):
            query = request.GET.copy()
            query["page"] = number
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": pages,
            "next": link(pagination.page + 1) if pagination.page < pages else None,
            "previous": link(pagination.page - 1) if 1 < pagination.page <= pages else None,
            "results": [queryset.serialize(obj) for obj in objects],
        }


def paris(value):
    """An aware datetime in Europe/Paris, so that ISO 8601 output carries +01:00/+02:00."""
    return timezone.localtime(value) if value else None


def absolute(request, path: str | None) -> str | None:
    return request.build_absolute_uri(path) if path else None


def with_distance(queryset: QuerySet, *, prefix: str, lat: float, lon: float, radius_km: float):
    """Rows whose point (`<prefix>latitude`/`<prefix>longitude`) lies within `radius_km` of
    (lat, lon), annotated with `distance_km` (haversine, in SQL on SQLite and PostgreSQL). A
    bounding box first keeps the trigonometry to nearby rows."""
    lat_field, lon_field = F(f"{prefix}latitude"), F(f"{prefix}longitude")
    delta_lat = radius_km / 111.0
    delta_lon = radius_km / max(111.0 * math.cos(math.radians(lat)), 0.01)
    queryset = queryset.filter(
        **{
            f"{prefix}latitude__gte": lat - delta_lat,
            f"{prefix}latitude__lte": lat + delta_lat,
            f"{prefix}longitude__gte": lon - delta_lon,
            f"{prefix}longitude__lte": lon + delta_lon,
        }
    )
    half_chord = Power(Sin((Radians(lat_field) - math.radians(lat)) / 2), 2) + math.cos(
        math.radians(lat)
    ) * Cos(Radians(lat_field)) * Power(Sin((Radians(lon_field) - math.radians(lon)) / 2), 2)
    distance = 2 * EARTH_RADIUS_KM * ASin(Sqrt(half_chord))
    return queryset.annotate(
        distance_km=ExpressionWrapper(distance, output_field=FloatField())
    ).filter(distance_km__lte=radius_km)
