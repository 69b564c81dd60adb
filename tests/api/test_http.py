"""Conditional GET, CORS and the anonymous rate limit, shared by every endpoint."""

import datetime

from django.core.cache import cache

import pytest
import time_machine

from core import data_version

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/sessions",
    "/api/v1/formations",
    "/api/v1/rencontres",
    "/api/v1/echanges/formats",
    "/api/v1/lieux",
    "/api/v1/services",
    "/api/v1/structures",
    "/api/v1/numeritheque/objets",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_etag_gives_304_until_the_data_changes(client, seeded_catalogues, path):
    first = client.get(path)
    etag = first["ETag"]
    assert etag and first["Last-Modified"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_when_seats_change(client, seeded):
    etag = client.get("/api/v1/sessions")["ETag"]
    seeded["in_person"].registrations.update(status="cancelled")
    response = client.get("/api/v1/sessions", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_detail_supports_etag(client, seeded):
    path = f"/api/v1/sessions/{seeded['online'].pk}"
    etag = client.get(path)["ETag"]
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304


@pytest.mark.parametrize("kind", ["training", "format", "item"])
def test_new_details_support_etag(client, seeded_catalogues, kind):
    seeded = seeded_catalogues
    path = {
        "training": "/api/v1/formations/{}",
        "format": "/api/v1/echanges/formats/{}",
        "item": "/api/v1/numeritheque/objets/{}",
    }[kind].format(seeded[kind].pk)
    etag = client.get(path)["ETag"]
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304


def test_last_modified_moves_when_equipment_changes(
    client, seeded_catalogues, django_capture_on_commit_callbacks
):
    seeded = seeded_catalogues
    since = client.get("/api/v1/numeritheque/objets")["Last-Modified"]
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)):
        item = seeded["item"]
        item.state = "maintenance"
        with django_capture_on_commit_callbacks(execute=True):
            item.save()
        response = client.get("/api/v1/numeritheque/objets", headers={"if-modified-since": since})
    assert response.status_code == 200
    assert response.json()["results"][0]["disponibilite"] == "maintenance"


def test_last_modified_moves_with_any_change(client, seeded, django_capture_on_commit_callbacks):
    first = client.get("/api/v1/sessions")
    since = first["Last-Modified"]
    assert client.get("/api/v1/sessions", headers={"if-modified-since": since}).status_code == 304
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)):
        # A cancelled registration frees a seat: the Last-Modified date must move.
        registration = seeded["in_person"].registrations.get()
        registration.status = "cancelled"
        with django_capture_on_commit_callbacks(execute=True):
            registration.save()
        response = client.get("/api/v1/sessions", headers={"if-modified-since": since})
    assert response.status_code == 200
    assert response["Last-Modified"] != since


def test_lost_cache_never_gives_a_stale_304(client, seeded):
    since = client.get("/api/v1/sessions")["Last-Modified"]
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)):
        cache.delete_many([data_version.KEY, data_version.CHANGED_AT_KEY])
        response = client.get("/api/v1/sessions", headers={"if-modified-since": since})
    assert response.status_code == 200


def test_cors_is_open_for_reading(client, seeded):
    response = client.get("/api/v1/sessions", headers={"origin": "https://mairie.exemple.fr"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/sessions",
        headers={
            "origin": "https://mairie.exemple.fr",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_cors_is_only_on_the_api(client, db):
    assert not client.get("/robots.txt").has_header("Access-Control-Allow-Origin")


def test_anonymous_clients_are_rate_limited_per_ip(client, settings, db):
    settings.MAILLAGE_API_RATE_LIMIT = (3, 60)
    with time_machine.travel(datetime.datetime(2030, 1, 1, 12, 0, 1, tzinfo=datetime.UTC)):
        statuses = [client.get("/api/v1/thematiques").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/thematiques")
        assert refused.json()["detail"].startswith("Trop de requêtes")
        assert int(refused["Retry-After"]) <= 60
        assert refused["Access-Control-Allow-Origin"] == "*"
        other_ip = client.get("/api/v1/thematiques", REMOTE_ADDR="192.0.2.7")
        assert other_ip.status_code == 200
    with time_machine.travel(datetime.datetime(2030, 1, 1, 12, 1, 1, tzinfo=datetime.UTC)):
        assert client.get("/api/v1/thematiques").status_code == 200


def test_rate_limit_does_not_touch_the_website(client, settings, db):
    settings.MAILLAGE_API_RATE_LIMIT = (1, 60)
    assert [client.get("/robots.txt").status_code for _ in range(3)] == [200, 200, 200]


def test_a_forged_forwarded_for_header_buys_no_new_budget(client, settings, db):
    """The budget is per REMOTE_ADDR (what the trusted proxy sets), never per X-Forwarded-For,
    which any client writes: Django Ninja's throttles trust that header unless told not to."""
    settings.MAILLAGE_API_RATE_LIMIT = (2, 60)
    with time_machine.travel(datetime.datetime(2030, 1, 1, 12, 0, 1, tzinfo=datetime.UTC)):
        statuses = [
            client.get("/api/v1/thematiques", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(4)
        ]
    assert statuses == [200, 200, 429, 429]
