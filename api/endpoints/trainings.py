"""/formations: the training catalogue (trainings.TrainingPage), with the catalogue's filters.
Only what the public page shows: never the participants' resources or satisfaction answers."""

from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from taxonomy.models import Competence
from trainings import selectors
from trainings.models import TrainingPage

from .common import (
    DETAIL_ERRORS,
    ERRORS,
    MAX_ID,
    TEXT_PATTERN,
    DepartementCode,
    PageNumbers,
    Rows,
    UpcomingSessionsOut,
    absolute,
    by_slug,
    check_point,
    upcoming_sessions_out,
)
from .sessions import ThemeOut, theme_from_slug

router = Router(tags=["Formations"])

LEVELS = tuple(TrainingPage.Level.values)
FORMATS = tuple(TrainingPage.Format.values)
# Words only: the text goes to the search backend, whose query syntax stays out of reach.
SEARCH_PATTERN = r"^[\w\s'’-]*$"


class OrganiserOut(Schema):
    id: int = Field(description="La structure (voir /structures/{id}).")
    nom: str


class CompetenceOut(Schema):
    slug: str
    nom: str


class TrainingOut(UpcomingSessionsOut):
    id: int
    titre: str
    url: str | None = Field(description="La page de la formation sur le portail.")
    resume: str
    objectifs: str | None = Field(None, description="Objectifs pédagogiques (HTML simple).")
    prerequis: str | None = None
    publics: list[str] = Field(description="Les métiers à qui elle s'adresse.")
    niveau: Literal[LEVELS]
    niveau_libelle: str
    format: Literal[FORMATS]
    format_libelle: str
    duree_heures: float
    cout_euros: float = Field(description="0 : gratuite.")
    gratuite: bool
    financement: str | None = Field(None, description="Prises en charge possibles.")
    accessibilite: str | None = None
    thematiques: list[ThemeOut]
    competences: list[CompetenceOut]
    organisateur: OrganiserOut | None = Field(None, description="Vide : le Hub.")
    relayee: bool = Field(description="Formation d'un partenaire : inscription sur son site.")
    inscription_externe_url: str | None = Field(
        None, description="Le site du partenaire, pour une formation relayée."
    )


class TrainingFilters(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        pattern=SEARCH_PATTERN,
        description="Mots cherchés dans la formation (titre, résumé, objectifs, programme…).",
    )
    thematique: str | None = Field(
        None, max_length=120, pattern=r"^[-\w]+$", description="Slug d'une thématique."
    )
    competence: str | None = Field(
        None, max_length=200, pattern=r"^[-\w]+$", description="Slug d'une compétence."
    )
    niveau: Literal[LEVELS] | None = Field(None, description="Niveau.")
    format: Literal[FORMATS] | None = Field(None, description="Format.")
    gratuite: bool = Field(False, description="Seulement les formations gratuites.")
    departement: DepartementCode | None = Field(
        None,
        description="Formations ayant une session à venir dans ce département.",
    )
    commune: str | None = Field(
        None,
        max_length=255,
        pattern=TEXT_PATTERN,
        description="Formations ayant une session à venir dans cette commune.",
    )
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude du centre de recherche.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude du centre.")
    rayon_km: float = Field(20, gt=0, le=300, description="Rayon autour de lat/lon, en km.")
    places_disponibles: bool = Field(
        False, description="Seulement les formations ayant une session où s'inscrire."
    )
    ordre: Literal["date", "titre"] = Field(
        "date", description="Tri : prochaine session (sans date en dernier) ou titre."
    )


def _competence(slug: str | None) -> Competence | None:
    return by_slug(Competence, slug, param="competence", message=_("Compétence inconnue."))


def _trainings(filters: TrainingFilters):
    check_point(filters)
    theme = theme_from_slug(filters.thematique)
    competence = _competence(filters.competence)
    queryset = selectors.training_list_public(
        q=" ".join((filters.q or "").split()),
        themes=[theme] if theme else (),
        competences=[competence] if competence else (),
        level=filters.niveau or "",
        format=filters.format or "",
        free=filters.gratuite,
        departement=filters.departement,
        commune=filters.commune,
        near=(filters.lat, filters.lon) if filters.lat is not None else None,
        radius_km=filters.rayon_km if filters.lat is not None else None,
        with_seats=filters.places_disponibles,
    )
    if filters.ordre == "titre":
        queryset = queryset.order_by("title", "pk")
    return queryset


def _training_out(request, page: TrainingPage) -> dict:
    organiser = page.organiser
    return {
        "id": page.pk,
        "titre": page.title,
        "url": absolute(request, page.get_url(request=request)),
        "resume": page.summary,
        "objectifs": page.objectives or None,
        "prerequis": page.prerequisites or None,
        "publics": page.public_labels(),
        "niveau": page.level,
        "niveau_libelle": page.get_level_display(),
        "format": page.format,
        "format_libelle": page.get_format_display(),
        "duree_heures": float(page.duration_hours),
        "cout_euros": float(page.cost),
        "gratuite": page.is_free,
        "financement": page.funding or None,
        "accessibilite": page.accessibility or None,
        "thematiques": [{"slug": theme.slug, "nom": theme.name} for theme in page.themes.all()],
        "competences": [
            {"slug": competence.slug, "nom": competence.name}
            for competence in page.competences.all()
        ],
        "organisateur": {"id": organiser.pk, "nom": organiser.name} if organiser else None,
        "relayee": page.is_relayed,
        "inscription_externe_url": (page.external_registration_url or None)
        if page.is_relayed
        else None,
        **upcoming_sessions_out(page),
    }


@router.get(
    "/formations",
    response={200: list[TrainingOut], **ERRORS},
    summary="Formations",
    operation_id="trainings_list",
)
@paginate(PageNumbers)
def trainings_list(request, filters: Query[TrainingFilters]):
    """Le catalogue des formations (du Hub et relayées), filtré comme sur le site ; les filtres
    de lieu et de places portent sur les sessions à venir."""
    return Rows(_trainings(filters), lambda page: _training_out(request, page))


@router.get(
    "/formations/{training_id}",
    response={200: TrainingOut, **DETAIL_ERRORS},
    summary="Une formation",
    operation_id="trainings_detail",
)
def trainings_detail(request, training_id: int = Path(..., ge=1, le=MAX_ID)):
    page = selectors.training_list_public().filter(pk=training_id).first()
    if page is None:
        raise Http404
    return _training_out(request, page)
