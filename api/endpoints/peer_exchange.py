"""/echanges/formats: the formats of peer exchange (café conseil, analyse de pratiques…). Their
dated occurrences are in /sessions (type peer_exchange); proposals and votes, which name mediators,
are never published."""

from typing import Literal

from django.db.models import F
from django.http import Http404

from wagtail.rich_text import expand_db_html

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from peer_exchange import selectors

from .common import (
    DETAIL_ERRORS,
    ERRORS,
    MAX_ID,
    TEXT_PATTERN,
    PageNumbers,
    Rows,
    UpcomingSessionsOut,
    absolute,
    upcoming_sessions_out,
)

router = Router(tags=["Échanges entre pairs"])


class PeerFormatOut(UpcomingSessionsOut):
    id: int
    titre: str
    url: str | None = Field(description="La page du format sur le portail.")
    resume: str
    deroule: str = Field(description="Comment se passe une séance (HTML simple).")
    duree_heures: float = Field(description="Durée d'une séance.")
    participants_min: int
    participants_max: int


class PeerFormatFilters(Schema):
    q: str | None = Field(
        None, max_length=200, pattern=TEXT_PATTERN, description="Texte cherché dans le titre."
    )
    a_venir: bool = Field(False, description="Seulement les formats ayant une session à venir.")
    ordre: Literal["titre", "date"] = Field(
        "titre", description="Tri : titre, ou prochaine session (sans date en dernier)."
    )


def _format_out(request, page) -> dict:
    return {
        "id": page.pk,
        "titre": page.title,
        "url": absolute(request, page.get_url(request=request)),
        "resume": page.summary,
        "deroule": expand_db_html(page.method),
        "duree_heures": float(page.duration_hours),
        "participants_min": page.group_size_min,
        "participants_max": page.group_size_max,
        **upcoming_sessions_out(page),
    }


@router.get(
    "/echanges/formats",
    response={200: list[PeerFormatOut], **ERRORS},
    summary="Formats d'échange entre pairs",
    operation_id="peer_formats_list",
)
@paginate(PageNumbers)
def peer_formats_list(request, filters: Query[PeerFormatFilters]):
    """Les formats d'échange entre pairs ; leurs séances sont dans /sessions?type=peer_exchange."""
    queryset = selectors.peer_format_list_public()
    if filters.q:
        queryset = queryset.filter(title__icontains=filters.q)
    if filters.a_venir:
        queryset = queryset.filter(upcoming_sessions_total__gt=0)
    if filters.ordre == "date":
        queryset = queryset.order_by(F("next_session_start").asc(nulls_last=True), "title", "pk")
    return Rows(queryset, lambda page: _format_out(request, page))


@router.get(
    "/echanges/formats/{format_id}",
    response={200: PeerFormatOut, **DETAIL_ERRORS},
    summary="Un format d'échange entre pairs",
    operation_id="peer_formats_detail",
)
def peer_formats_detail(request, format_id: int = Path(..., ge=1, le=MAX_ID)):
    page = selectors.peer_format_list_public().filter(pk=format_id).first()
    if page is None:
        raise Http404
    return _format_out(request, page)
