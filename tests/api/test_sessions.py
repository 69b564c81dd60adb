import datetime

from django.utils import timezone

import pytest
import time_machine

from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


def test_session_list_gives_public_facts_in_paris_time(client, seeded, theme):
    response = client.get("/api/v1/sessions")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    online, in_person = data["results"]
    assert online["en_ligne"] is True and online["lieu"] is None
    assert in_person["lieu"]["id"] == "lieu-rennes-1"
    assert in_person["lieu"]["code_postal"] == "35000"
    assert in_person["thematiques"] == [{"slug": theme.slug, "nom": theme.name}]
    assert in_person["places_total"] == 2
    assert in_person["places_restantes"] == 1
    assert in_person["statut"] == "scheduled"
    assert in_person["url"].endswith(f"/agenda/sessions/{seeded['in_person'].pk}/")
    assert in_person["page"]["type"] == "events.conferencepage"
    assert in_person["page"]["url"].startswith("http://testserver/")
    assert in_person["inscription_url"].endswith("/inscription/")
    start = datetime.datetime.fromisoformat(in_person["debut"])
    assert start.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))
    assert start == seeded["in_person"].start


def test_session_filters_mirror_the_agenda(client, seeded, theme):
    def ids(**params):
        data = client.get("/api/v1/sessions", params).json()
        return {item["id"] for item in data["results"]}

    in_person, online = seeded["in_person"].pk, seeded["online"].pk
    assert ids(type="webinar") == {online}
    assert ids(thematique=theme.slug) == {in_person}
    assert ids(departement="35") == {in_person}
    assert ids(departement="29") == set()
    assert ids(commune="rennes") == {in_person}
    assert ids(en_ligne="true") == {online}
    assert ids(lat=48.11, lon=-1.68, rayon_km=5) == {in_person}
    assert ids(lat=43.6, lon=1.44, rayon_km=50) == set()
    day = timezone.localdate(seeded["in_person"].start)
    assert ids(debut=day.isoformat()) == {in_person}
    assert ids(fin=(day - datetime.timedelta(days=1)).isoformat()) == {online}
    assert ids(passees="true") == set()


def test_past_sessions_are_the_archive(client, seeded):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        data = client.get("/api/v1/sessions", {"passees": "true"}).json()
    assert [item["id"] for item in data["results"]] == [
        seeded["in_person"].pk,
        seeded["online"].pk,
    ]


def test_ordering_descending(client, seeded):
    data = client.get("/api/v1/sessions", {"ordre": "-debut"}).json()
    assert [item["id"] for item in data["results"]] == [
        seeded["in_person"].pk,
        seeded["online"].pk,
    ]


def test_bad_filters_get_a_french_message(client, db):
    response = client.get("/api/v1/sessions", {"debut": "demain", "departement": "999x"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Paramètres invalides."
    params = {error["parametre"]: error["message"] for error in body["errors"]}
    assert params["debut"].startswith("une date AAAA-MM-JJ")
    assert params["departement"].startswith("format invalide")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_extreme_dates_are_refused_not_crashing(client, db, day):
    for param in ("debut", "fin"):
        response = client.get("/api/v1/sessions", {param: day, "passees": "true"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["parametre"] == param


def test_unknown_theme_or_reversed_dates_are_400(client, db):
    response = client.get("/api/v1/sessions", {"thematique": "inconnue"})
    assert response.status_code == 400
    assert "Thématique inconnue" in response.json()["detail"]
    response = client.get("/api/v1/sessions", {"debut": "2030-02-01", "fin": "2030-01-01"})
    assert response.status_code == 400
    assert response.json()["detail"] == "La date de fin précède la date de début."


def test_page_size_has_a_maximum(client, settings, db):
    response = client.get(
        "/api/v1/sessions", {"page_size": settings.MAILLAGE_API_MAX_PAGE_SIZE + 1}
    )
    assert response.status_code == 422


def test_pagination_links(client, db):
    SessionFactory.create_batch(3)
    first = client.get("/api/v1/sessions", {"page_size": 2}).json()
    assert first["count"] == 3 and first["pages"] == 2 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"].endswith("page=1")


def test_detail_and_french_404(client, seeded):
    response = client.get(f"/api/v1/sessions/{seeded['online'].pk}")
    assert response.status_code == 200
    assert response.json()["type"] == "webinar"
    missing = client.get("/api/v1/sessions/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Ressource introuvable."}


def test_unpublished_page_hides_its_sessions(client, seeded):
    seeded["in_person"].page.unpublish()
    data = client.get("/api/v1/sessions").json()
    assert [item["id"] for item in data["results"]] == [seeded["online"].pk]
    assert client.get(f"/api/v1/sessions/{seeded['in_person'].pk}").status_code == 404


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/sessions", "commune"),
        ("/api/v1/sessions", "thematique"),
        ("/api/v1/lieux", "q"),
        ("/api/v1/structures", "q"),
        ("/api/v1/rencontres", "q"),
    ],
)
def test_control_characters_are_refused(client, db, path, param):
    response = client.get(path, {param: "Ren\x00nes"})
    assert response.status_code == 422
    assert client.get("/api/v1/lieux/a%00b").status_code == 422
