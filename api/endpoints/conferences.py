"""/rencontres: conferences, webinars and yearly meetings (events.ConferencePage), each with
its sessions."""

import datetime
from typing import Literal

from django.db.models import Min, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from events.models import ConferencePage, Session

from .common import (
    DETAIL_ERRORS,
    ERRORS,
    MAX_ID,
    TEXT_PATTERN,
    PageNumbers,
    Rows,
    absolute,
    paris,
)

router = Router(tags=["Agenda"])


class SpeakerOut(Schema):
    nom: str
    fonction: str | None = None


class ConferenceSessionOut(Schema):
    id: int
    url: str
    debut: datetime.datetime
    fin: datetime.datetime
    statut: Literal[tuple(Session.Status.values)]


class ConferenceOut(Schema):
    id: int
    titre: str
    url: str | None
    resume: str | None = None
    replay_url: str | None = None
    intervenants: list[SpeakerOut] = Field(description="Intervenant·es annoncé·es sur la page.")
    sessions: list[ConferenceSessionOut]
    premiere_date: datetime.datetime | None = None
    mise_a_jour: datetime.datetime | None = None


class ConferenceFilters(Schema):
    a_venir: bool = Field(False, description="Seulement les rencontres ayant une session à venir.")
    q: str | None = Field(
        None, max_length=200, pattern=TEXT_PATTERN, description="Texte cherché dans le titre."
    )
    ordre: Literal["date", "-date", "titre"] = Field("-date", description="Tri.")


def _conferences():
    sessions = Prefetch("sessions", queryset=Session.objects.order_by("start", "pk"))
    return (
        ConferencePage.objects.live()
        .public()
        .annotate(first_start=Min("sessions__start"))
        .prefetch_related("speakers", sessions)
    )


def _conference_out(request, page) -> dict:
    return {
        "id": page.pk,
        "titre": page.title,
        "url": absolute(request, page.get_url(request=request)),
        "resume": page.intro or None,
        "replay_url": page.replay_url or None,
        "intervenants": [
            {"nom": speaker.name, "fonction": speaker.role or None}
            for speaker in page.speakers.all()
        ],
        "sessions": [
            {
                "id": session.pk,
                "url": absolute(request, session.get_absolute_url()),
                "debut": paris(session.start),
                "fin": paris(session.end),
                "statut": session.status,
            }
            for session in page.sessions.all()
        ],
        "premiere_date": paris(page.first_start),
        "mise_a_jour": paris(page.last_published_at),
    }


@router.get(
    "/rencontres",
    response={200: list[ConferenceOut], **ERRORS},
    summary="Rencontres et webinaires",
    operation_id="conferences_list",
)
@paginate(PageNumbers)
def conferences_list(request, filters: Query[ConferenceFilters]):
    """Les pages de rencontre et de webinaire, avec leurs sessions."""
    queryset = _conferences()
    if filters.a_venir:
        queryset = queryset.filter(
            pk__in=Session.objects.filter(end__gte=timezone.now()).values("page_id")
        )
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q))
    ordering = {
        "date": ("first_start", "pk"),
        "-date": ("-first_start", "-pk"),
        "titre": ("title", "pk"),
    }[filters.ordre]
    return Rows(queryset.order_by(*ordering), lambda p: _conference_out(request, p))


@router.get(
    "/rencontres/{conference_id}",
    response={200: ConferenceOut, **DETAIL_ERRORS},
    summary="Une rencontre",
    operation_id="conferences_detail",
)
def conferences_detail(request, conference_id: int = Path(..., ge=1, le=MAX_ID)):
    page = _conferences().filter(pk=conference_id).first()
    if page is None:
        raise Http404
    return _conference_out(request, page)
