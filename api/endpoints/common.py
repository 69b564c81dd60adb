"""What the endpoint modules share: error schemas, pagination, absolute URLs and dates in
Europe/Paris."""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ninja import Schema
from ninja.pagination import PaginationBase
from pydantic import BeforeValidator, Field

from core.departements import PATTERN as DEPARTEMENT_PATTERN
from core.departements import departement_normalise
from directory import selectors as directory_selectors

from ..errors import BadFilter

DEFAULT_PAGE_SIZE = 20
# Free text never carries control characters (PostgreSQL refuses NUL in a string literal).
TEXT_PATTERN = r"^[^\x00-\x1f]*$"
# Database integer keys are 64-bit: a larger id is a 404, not an overflow.
MAX_ID = 2**63 - 1


def _departement_code(value):
    """The code as every filter compares it (2a → 2A, 5 → 05); anything else is left for the
    pattern to refuse with a 422."""
    try:
        return departement_normalise(value)
    except ValidationError:
        return value


DepartementCode = Annotated[
    str, BeforeValidator(_departement_code), Field(pattern=DEPARTEMENT_PATTERN)
]


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


def by_slug(model, slug: str | None, *, param: str, message: str):
    """The object a slug filter names (None without a filter); an unknown slug is a 400 that
    says which parameter, not an empty list."""
    if not slug:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise BadFilter(param, message)
    return found


def check_point(filters) -> None:
    """A radius search needs both `lat` and `lon`: one without the other is a 400. So is a
    `commune`, `code_postal` or `code_insee` that designates no commune (« Commune ou code
    postal inconnu », as the directory's and the catalogue's forms say), not an empty list."""
    if (filters.lat is None) != (filters.lon is None):
        raise BadFilter("lat", _("Indiquez à la fois lat et lon pour une recherche par rayon."))
    for param in ("commune", "code_postal", "code_insee"):
        value = getattr(filters, param, None)
        if value and not directory_selectors.commune_is_known(query=value):
            raise BadFilter(
                param,
                _(
                    "Commune ou code postal inconnu : « %(value)s ». Vérifiez l'orthographe ou "
                    "saisissez les 5 chiffres du code postal."
                )
                % {"value": value},
            )
