"""/numeritheque/objets: the shared equipment and where to pick it up. Never a booking, a
borrower, an inventory number or a value: who borrows what stays between the structures and
the Hub."""

from typing import Literal

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from directory.selectors import within_radius
from numeritheque import selectors
from numeritheque.models import Category, Item

from .common import (
    DETAIL_ERRORS,
    ERRORS,
    MAX_ID,
    TEXT_PATTERN,
    DepartementCode,
    PageNumbers,
    Rows,
    absolute,
    by_slug,
    check_point,
)
from .sessions import PlaceSummaryOut, place_summary

router = Router(tags=["Numérithèque"])

STATES = tuple(value for value in Item.State.values if value != Item.State.RETIRED)


class CategoryOut(Schema):
    slug: str
    nom: str


class PhotoOut(Schema):
    url: str
    texte_alternatif: str


class ItemOut(Schema):
    id: int
    slug: str
    nom: str
    url: str = Field(description="La fiche du matériel, où le réserver.")
    categorie: CategoryOut
    description: str | None = None
    contenu: list[str] = Field(description="Ce que contient la boîte (vérifié au prêt).")
    lieu: PlaceSummaryOut = Field(description="Le lieu de retrait (voir /lieux/{id}).")
    disponibilite: Literal[STATES] = Field(description="disponible ou maintenance.")
    disponibilite_libelle: str
    formation_prealable: bool = Field(description="Une formation est demandée avant le prêt.")
    formation_url: str | None = Field(None, description="La formation conseillée.")
    photos: list[PhotoOut]
    distance_km: float | None = Field(
        None, description="Distance au point demandé (recherche par rayon)."
    )


class ItemFilters(Schema):
    q: str | None = Field(
        None, max_length=200, pattern=TEXT_PATTERN, description="Texte cherché dans le nom."
    )
    categorie: str | None = Field(
        None, max_length=120, pattern=r"^[-\w]+$", description="Slug d'une catégorie."
    )
    disponible: bool = Field(False, description="Seulement le matériel en service.")
    departement: DepartementCode | None = Field(None, description="Département du lieu de retrait.")
    commune: str | None = Field(
        None, max_length=255, pattern=TEXT_PATTERN, description="Commune du lieu de retrait."
    )
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude du centre de recherche.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude du centre.")
    rayon_km: float = Field(20, gt=0, le=300, description="Rayon autour de lat/lon, en km.")


def _category(slug: str | None) -> Category | None:
    return by_slug(Category, slug, param="categorie", message=_("Catégorie de matériel inconnue."))


def _items(filters: ItemFilters | None = None):
    filters = filters or ItemFilters()
    check_point(filters)
    queryset = selectors.item_catalogue(category=_category(filters.categorie)).select_related(
        "training_page"
    )
    if filters.q:
        queryset = queryset.filter(name__icontains=filters.q)
    if filters.disponible:
        queryset = queryset.filter(state=Item.State.AVAILABLE)
    if filters.departement:
        queryset = queryset.filter(home_place__departement=filters.departement)
    if filters.commune:
        queryset = queryset.filter(home_place__commune__iexact=filters.commune)
    if filters.lat is not None:
        queryset = within_radius(
            queryset,
            prefix="home_place__",
            latitude=filters.lat,
            longitude=filters.lon,
            radius_km=filters.rayon_km,
        )
    return queryset.order_by("category__name", "name", "pk")


def _item_out(request, item: Item) -> dict:
    training = item.training_page
    distance = getattr(item, "distance_km", None)
    return {
        "id": item.pk,
        "slug": item.slug,
        "nom": item.name,
        "url": absolute(request, reverse("numeritheque:item_detail", args=[item.slug])),
        "categorie": {"slug": item.category.slug, "nom": item.category.name},
        "description": item.description or None,
        "contenu": item.accessory_list,
        "lieu": place_summary(item.home_place),
        "disponibilite": item.state,
        "disponibilite_libelle": item.get_state_display(),
        "formation_prealable": item.needs_training,
        "formation_url": absolute(request, training.get_url(request=request))
        if training and training.live
        else None,
        "photos": [
            {"url": absolute(request, photo.image.file.url), "texte_alternatif": photo.caption}
            for photo in item.photos.all()
        ],
        "distance_km": round(distance, 2) if distance is not None else None,
    }


@router.get(
    "/numeritheque/objets",
    response={200: list[ItemOut], **ERRORS},
    summary="Matériel de la numérithèque",
    operation_id="numeritheque_items_list",
)
@paginate(PageNumbers)
def items_list(request, filters: Query[ItemFilters]):
    """Le matériel prêté entre structures (imprimantes 3D, casques de réalité virtuelle…), avec
    son lieu de retrait ; la réservation se fait sur le portail."""
    return Rows(_items(filters), lambda item: _item_out(request, item))


@router.get(
    "/numeritheque/objets/{item_id}",
    response={200: ItemOut, **DETAIL_ERRORS},
    summary="Un matériel",
    operation_id="numeritheque_items_detail",
)
def items_detail(request, item_id: int = Path(..., ge=1, le=MAX_ID)):
    item = _items().filter(pk=item_id).first()
    if item is None:
        raise Http404
    return _item_out(request, item)
