"""/lieux, /structures and /services: the directory, in the national standard's field names
(see api.standard) and vocabulary."""

from typing import Literal

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from directory import selectors as directory_selectors
from directory.models import Organisation, Place

from ..errors import BadFilter
from ..standard import PlaceStandardOut, place_to_standard
from .common import (
    DETAIL_ERRORS,
    ERRORS,
    MAX_ID,
    TEXT_PATTERN,
    DepartementCode,
    PageNumbers,
    Rows,
    check_point,
)

router = Router(tags=["Annuaire"])

ORDERINGS = {"nom": ("name", "pk"), "-date_maj": ("-updated_at", "pk"), "distance": None}


class PlaceFilters(Schema):
    departement: DepartementCode | None = Field(
        None, description="Numéro de département, par exemple 35."
    )
    commune: str | None = Field(
        None, max_length=255, pattern=TEXT_PATTERN, description="Nom de la commune."
    )
    code_postal: str | None = Field(None, pattern=r"^\d{5}$", description="Code postal.")
    code_insee: str | None = Field(None, pattern=r"^[0-9AB]{5}$", description="Code INSEE.")
    q: str | None = Field(
        None, max_length=200, pattern=TEXT_PATTERN, description="Texte cherché dans le nom du lieu."
    )
    service: str | None = Field(
        None,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="Lieux offrant ce service, une valeur du standard (voir /services) : "
        + " ; ".join(directory_selectors.place_service_values())
        + ".",
    )
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude du centre de recherche.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude du centre.")
    rayon_km: float = Field(20, gt=0, le=300, description="Rayon autour de lat/lon, en km.")
    ordre: Literal["nom", "-date_maj", "distance"] = Field(
        "nom", description="Tri : nom, -date_maj (plus récents d'abord) ou distance (avec lat/lon)."
    )


def place_queryset():
    # The standard's mapping reads the place's own columns only (no join needed).
    return Place.objects.all()


def _service(value: str | None) -> str | None:
    if not value:
        return None
    service = directory_selectors.place_service_canonical(value=value)
    if service is None:
        raise BadFilter(
            "service",
            _(
                "Service inconnu : choisissez une valeur du standard national (voir /api/v1/services)."
            ),
        )
    return service


def _places(filters: PlaceFilters):
    check_point(filters)
    if filters.ordre == "distance" and filters.lat is None:
        raise BadFilter("ordre", _("Le tri par distance demande lat et lon."))
    service = _service(filters.service)
    queryset = place_queryset()
    if service:
        queryset = directory_selectors.place_filter_by_service(queryset=queryset, service=service)
    exact = {
        "departement": filters.departement,
        "postcode": filters.code_postal,
        "insee_code": filters.code_insee,
    }
    queryset = queryset.filter(**{key: value for key, value in exact.items() if value})
    if filters.commune:
        queryset = queryset.filter(commune__iexact=filters.commune)
    if filters.q:
        queryset = queryset.filter(name__icontains=filters.q)
    if filters.lat is not None:
        queryset = directory_selectors.within_radius(
            queryset, latitude=filters.lat, longitude=filters.lon, radius_km=filters.rayon_km
        )
    ordering = ORDERINGS[filters.ordre] or ("distance_km", "pk")
    return queryset.order_by(*ordering)


def _place_out(place) -> dict:
    data = place_to_standard(place)
    distance = getattr(place, "distance_km", None)
    data["distance_km"] = round(distance, 2) if distance is not None else None
    return data


@router.get(
    "/lieux",
    response={200: list[PlaceStandardOut], **ERRORS},
    summary="Lieux de médiation numérique",
    operation_id="places_list",
)
@paginate(PageNumbers)
def places_list(request, filters: Query[PlaceFilters]):
    """Les lieux de l'annuaire, aux noms de champs du standard national."""
    return Rows(_places(filters), _place_out)


@router.get(
    "/lieux/{place_id}",
    response={200: PlaceStandardOut, **DETAIL_ERRORS},
    summary="Un lieu",
    operation_id="places_detail",
)
def places_detail(request, place_id: str = Path(..., max_length=255, pattern=TEXT_PATTERN)):
    place = place_queryset().filter(identifier=place_id).first()
    if place is None:
        raise Http404
    return _place_out(place)


class OrganisationOut(Schema):
    id: int
    nom: str
    siret: str | None = Field(None, description="SIRET (le « pivot » des lieux).")
    lieux: list[str] = Field(description="Identifiants des lieux de la structure (voir /lieux).")


class OrganisationFilters(Schema):
    q: str | None = Field(
        None, max_length=200, pattern=TEXT_PATTERN, description="Texte cherché dans le nom."
    )
    siret: str | None = Field(None, pattern=r"^\d{14}$", description="SIRET exact.")
    departement: DepartementCode | None = Field(
        None,
        description="Structures ayant un lieu dans ce département.",
    )


def _organisation_out(organisation) -> dict:
    return {
        "id": organisation.pk,
        "nom": organisation.name,
        "siret": organisation.siret or None,
        "lieux": [place.identifier for place in organisation.places.all()],
    }


def _organisations():
    places = Prefetch(
        "places",
        queryset=Place.objects.order_by("name", "pk").only("identifier", "organisation_id"),
    )
    return Organisation.objects.prefetch_related(places).order_by("name", "pk")


@router.get(
    "/structures",
    response={200: list[OrganisationOut], **ERRORS},
    summary="Structures",
    operation_id="organisations_list",
)
@paginate(PageNumbers)
def organisations_list(request, filters: Query[OrganisationFilters]):
    """Les structures qui portent les lieux (associations, communes, CCAS…)."""
    queryset = _organisations()
    if filters.q:
        queryset = queryset.filter(name__icontains=filters.q)
    if filters.siret:
        queryset = queryset.filter(siret=filters.siret)
    if filters.departement:
        queryset = queryset.filter(places__departement=filters.departement).distinct()
    return Rows(queryset, _organisation_out)


@router.get(
    "/structures/{organisation_id}",
    response={200: OrganisationOut, **DETAIL_ERRORS},
    summary="Une structure",
    operation_id="organisations_detail",
)
def organisations_detail(request, organisation_id: int = Path(..., ge=1, le=MAX_ID)):
    organisation = _organisations().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return _organisation_out(organisation)


class ServiceOut(Schema):
    nom: str = Field(description="La valeur du standard, à passer telle quelle à /lieux?service=.")


@router.get(
    "/services",
    response=list[ServiceOut],
    summary="Services des lieux",
    operation_id="services_list",
)
def services_list(request):
    """Le vocabulaire `services` du standard national (le filtre `service` de /lieux)."""
    return [{"nom": value} for value in directory_selectors.place_service_values()]
