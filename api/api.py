"""The open, read-only API of Maillage (/api/v1/): public data only, never a person's."""

from django.utils.translation import gettext_lazy as _

from ninja import NinjaAPI

from . import errors
from .endpoints import (
    conferences,
    numeritheque,
    peer_exchange,
    places,
    sessions,
    themes,
    trainings,
)

api = NinjaAPI(
    title="Maillage — API ouverte",
    version="1",
    description=str(
        _(
            "L'agenda, les formations, les formats d'échange entre pairs, le matériel de la "
            "numérithèque et l'annuaire de la médiation numérique, en lecture seule, sans "
            "authentification. Données publiques uniquement, sous Licence Ouverte 2.0. "
            "Réponses conditionnelles (ETag, Last-Modified), CORS ouvert en lecture, "
            "nombre de requêtes limité par adresse IP."
        )
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.register(api)
for module in (sessions, trainings, conferences, peer_exchange, places, numeritheque, themes):
    api.add_router("/", module.router)
