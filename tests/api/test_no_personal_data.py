"""No personal data ever: every endpoint the OpenAPI document lists, every field of every
response, against an agenda where a recognisable person registered and answered questions."""

import json
import re

import pytest

from directory.models import StructureMembership

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

# Keys that would betray a person or a booking, wherever they appear in a response.
FORBIDDEN_KEYS = re.compile(
    r"e-?mail|courriel|phone|telephone|user|utilisateur|personne|inscrit|registration|"
    r"answers|reponses|booking|reservation|online_url|lien_connexion|password|token",
    re.IGNORECASE,
)


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _walk(client):
    """Every GET operation of the OpenAPI document; detail paths take the ids their list gives."""
    spec = client.get("/api/v1/openapi.json").json()
    bodies = {}
    paths = sorted(spec["paths"], key=lambda path: "{" in path)
    for path in paths:
        assert set(spec["paths"][path]) == {"get"}, f"{path} n'est pas en lecture seule"
        if "{" not in path:
            bodies[path] = client.get(path).json()
            continue
        list_path = path.rsplit("/", 1)[0]
        items = bodies[list_path]["results"]
        assert items, f"aucune donnée pour parcourir {path}"
        for item in items:
            concrete = re.sub(r"\{[^}]+\}", str(item["id"]), path)
            response = client.get(concrete)
            assert response.status_code == 200, concrete
            bodies[concrete] = response.json()
    return bodies


def test_every_endpoint_and_field_is_free_of_personal_data(client, seeded_catalogues):
    seeded = seeded_catalogues
    StructureMembership.objects.create(
        user=seeded["person"], organisation=seeded["place"].organisation, is_manager=True
    )
    bodies = _walk(client)
    assert {
        "/api/v1/sessions",
        "/api/v1/formations",
        "/api/v1/echanges/formats",
        "/api/v1/numeritheque/objets",
        "/api/v1/lieux",
        "/api/v1/structures",
    } <= set(bodies)
    for detail in ("sessions", "formations", "echanges/formats", "numeritheque/objets", "lieux"):
        assert any(path.startswith(f"/api/v1/{detail}/") for path in bodies), detail
    for path, body in bodies.items():
        text = json.dumps(body, ensure_ascii=False)
        for label, secret in SECRETS.items():
            assert secret.lower() not in text.lower(), f"{label} visible dans {path}"
        leaked = sorted({key for key in _keys(body) if FORBIDDEN_KEYS.search(key)})
        assert not leaked, f"champs personnels dans {path} : {leaked}"


def test_the_api_is_read_only(client, seeded):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/sessions")
        assert response.status_code == 405
