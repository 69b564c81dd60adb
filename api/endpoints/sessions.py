"""/sessions: every dated, registrable occurrence of the agenda (trainings, conferences,
peer exchanges), with the filters of the website's agenda."""

import datetime
from typing import Literal

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from directory import selectors as directory_selectors
from directory.selectors import within_radius
from events import selectors
from events.models import Session
from taxonomy.models import Theme

from ..errors import BadFilter
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
    paris,
)

router = Router(tags=["Agenda"])

KINDS = tuple(Session.Kind.values)
STATUSES = tuple(Session.Status.values)
# Dates outside these bounds overflow once shifted to UTC or by a day: refuse them up front.
EARLIEST, LATEST = datetime.date(1970, 1, 1), datetime.date(2999, 12, 30)


class ThemeOut(Schema):
    slug: str
    nom: str


class PageOut(Schema):
    id: int
    titre: str
    url: str | None = Field(description="La page de la formation, de la rencontre ou du format.")
    type: str = Field(description="Le type de page, par exemple events.conferencepage.")


class PlaceSummaryOut(Schema):
    id: str = Field(description="Identifiant du lieu (voir /lieux/{id}).")
    nom: str
    adresse: str
    code_postal: str
    commune: str
    code_insee: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class SessionOut(Schema):
    id: int
    titre: str
    url: str = Field(description="La page publique de la session.")
    type: Literal[KINDS] = Field(description="Formation, rencontre, webinaire, échange…")
    type_libelle: str
    statut: Literal[STATUSES]
    debut: datetime.datetime = Field(description="ISO 8601, heure de Paris.")
    fin: datetime.datetime = Field(description="ISO 8601, heure de Paris.")
    thematiques: list[ThemeOut]
    page: PageOut
    en_ligne: bool
    lieu: PlaceSummaryOut | None = None
    departement: str | None = None
    places_total: int | None = Field(None, description="Vide : places illimitées.")
    places_restantes: int | None = Field(None, description="Vide : places illimitées.")
    complet: bool
    inscription_ouverte: bool
    inscription_url: str = Field(description="Où s'inscrire (ce portail ou un site partenaire).")
    mise_a_jour: datetime.datetime


class SessionFilters(Schema):
    debut: datetime.date | None = Field(
        None,
        ge=EARLIEST,
        le=LATEST,
        description="Sessions commençant ce jour ou après (AAAA-MM-JJ).",
    )
    fin: datetime.date | None = Field(
        None,
        ge=EARLIEST,
        le=LATEST,
        description="Sessions commençant ce jour ou avant (AAAA-MM-JJ).",
    )
    type: Literal[KINDS] | None = Field(None, description="Type de session.")
    thematique: str | None = Field(
        None,
        max_length=120,
        pattern=r"^[-\w]+$",
        description="Identifiant (slug) d'une thématique, voir /thematiques.",
    )
    departement: DepartementCode | None = Field(
        None, description="Numéro de département, par exemple 35."
    )
    commune: str | None = Field(
        None, max_length=255, pattern=TEXT_PATTERN, description="Nom de la commune du lieu."
    )
    types: str | None = Field(
        None,
        max_length=200,
        pattern=r"^[a-z_]+(,[a-z_]+)*$",
        description="Plusieurs types séparés par des virgules, par exemple training,webinar.",
    )
    thematiques: str | None = Field(
        None,
        max_length=600,
        pattern=r"^[-\w]+(,[-\w]+)*$",
        description="Plusieurs thématiques (slugs) séparées par des virgules : l'une ou l'autre.",
    )
    epci: str | None = Field(
        None, pattern=r"^\d{9}$", description="SIREN d'un EPCI : les sessions dans ses communes."
    )
    pres_de: str | None = Field(
        None,
        pattern=r"^[0-9][0-9AB][0-9]{3}$",
        description="Code INSEE d'une commune : les sessions dans le rayon `rayon_km` autour.",
    )
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude du centre de recherche.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude du centre.")
    rayon_km: float = Field(20, gt=0, le=300, description="Rayon autour de lat/lon, en km.")
    en_ligne: bool | None = Field(None, description="true : en ligne ; false : en présentiel.")
    places_disponibles: bool = Field(False, description="Seulement les sessions où s'inscrire.")
    passees: bool = Field(False, description="Les sessions passées (archives) au lieu des à venir.")
    ordre: Literal["debut", "-debut"] | None = Field(
        None,
        description="Tri par date de début (par défaut : à venir croissant, passées décroissant).",
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def theme_from_slug(slug: str | None) -> Theme | None:
    """The theme a `thematique` filter names."""
    return by_slug(
        Theme,
        slug,
        param="thematique",
        message=_("Thématique inconnue : consultez /api/v1/thematiques."),
    )


def _listed(one: str | None, many: str | None) -> list[str]:
    """A filter given once (`type`) or as a comma-separated list (`types`), merged."""
    values = [one] if one else []
    return values + [value for value in (many or "").split(",") if value]


def session_queryset(filters: SessionFilters):
    """The sessions the filters select (the API's list, the widget's iframe)."""
    if filters.debut and filters.fin and filters.fin < filters.debut:
        raise BadFilter("fin", _("La date de fin précède la date de début."))
    check_point(filters)
    themes = [theme_from_slug(slug) for slug in _listed(filters.thematique, filters.thematiques)]
    kinds = _listed(filters.type, filters.types)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise BadFilter("types", _("Type inconnu : %(kinds)s.") % {"kinds": ", ".join(unknown)})
    common = {
        "kind": kinds or None,
        "themes": themes or None,
        "departement": filters.departement,
    }
    if filters.passees:
        queryset = selectors.session_list_past(**common)
        if filters.debut:
            queryset = queryset.filter(start__gte=_day_start(filters.debut))
        if filters.fin:
            queryset = queryset.filter(start__lt=_day_start(filters.fin + datetime.timedelta(1)))
        if filters.en_ligne is not None:
            queryset = queryset.filter(venue__isnull=filters.en_ligne)
    else:
        queryset = selectors.session_list_upcoming(
            **common,
            start=_day_start(filters.debut) if filters.debut else None,
            end=_day_start(filters.fin + datetime.timedelta(1)) if filters.fin else None,
            online=filters.en_ligne,
            with_seats=filters.places_disponibles or None,
        )
    if filters.commune:
        queryset = queryset.filter(venue__commune__iexact=filters.commune)
    if filters.epci:
        codes = [row[0] for row in directory_selectors.commune_rows(epci=filters.epci)]
        queryset = queryset.filter(Q(venue__insee_code__in=codes) | Q(outside_commune_id__in=codes))
    if filters.pres_de:
        centre = directory_selectors.commune_locate(query=filters.pres_de)
        if centre is None:
            raise BadFilter("pres_de", _("Commune inconnue : indiquez son code INSEE."))
        queryset = within_radius(
            queryset,
            prefix="venue__",
            latitude=centre.latitude,
            longitude=centre.longitude,
            radius_km=filters.rayon_km,
        )
    if filters.lat is not None:
        queryset = within_radius(
            queryset,
            prefix="venue__",
            latitude=filters.lat,
            longitude=filters.lon,
            radius_km=filters.rayon_km,
        )
    if filters.ordre:
        direction = "-" if filters.ordre.startswith("-") else ""
        queryset = queryset.order_by(f"{direction}start", f"{direction}pk")
    return queryset.prefetch_related("themes")


def place_summary(venue) -> dict | None:
    """Where a session or an item is: enough to show it, /lieux/{id} for the rest."""
    if venue is None:
        return None
    return {
        "id": venue.identifier,
        "nom": venue.name,
        "adresse": venue.address,
        "code_postal": venue.postcode,
        "commune": venue.commune,
        "code_insee": venue.insee_code or None,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
    }


def _page_type(page) -> str:
    content_type = page.cached_content_type
    return f"{content_type.app_label}.{content_type.model}"


def session_to_dict(request, session: Session) -> dict:
    """The public face of a session: nothing about who registered, no connection link."""
    url = absolute(request, session.get_absolute_url())
    page = session.page
    return {
        "id": session.pk,
        "titre": session.display_title,
        "url": url,
        "type": session.kind,
        "type_libelle": session.get_kind_display(),
        "statut": session.status,
        "debut": paris(session.start),
        "fin": paris(session.end),
        "thematiques": [{"slug": theme.slug, "nom": theme.name} for theme in session.themes.all()],
        "page": {
            "id": page.pk,
            "titre": page.title,
            "url": absolute(request, page.get_url(request=request)),
            "type": _page_type(page),
        },
        "en_ligne": session.is_online,
        "lieu": place_summary(session.venue),
        "departement": session.departement or None,
        "places_total": session.capacity,
        "places_restantes": session.seats_left,
        "complet": session.is_full,
        "inscription_ouverte": session.registration_is_open(),
        "inscription_url": session.external_registration_url
        or absolute(request, reverse("events:registration_confirm", kwargs={"pk": session.pk})),
        "mise_a_jour": paris(session.updated_at),
    }


@router.get(
    "/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="Sessions de l'agenda",
    operation_id="sessions_list",
)
@paginate(PageNumbers)
def sessions_list(request, filters: Query[SessionFilters]):
    """Les sessions à venir (ou passées avec `passees=true`), filtrées comme l'agenda du site."""
    return Rows(
        session_queryset(filters),
        lambda session: session_to_dict(request, session),
    )


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **DETAIL_ERRORS},
    summary="Une session",
    operation_id="sessions_detail",
)
def sessions_detail(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    session = selectors.session_get(pk=session_id)
    if session is None:
        raise Http404
    return session_to_dict(request, session)
