"""/formations, /echanges/formats and /numeritheque/objets: public fields, filters, 404s."""

from decimal import Decimal

import pytest

from numeritheque.models import Item, ItemPhoto
from taxonomy.models import Competence, Theme
from tests.factories.directory import OrganisationFactory, PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.numeritheque import CategoryFactory, ItemFactory, make_image
from tests.factories.peer_exchange import peer_format
from tests.factories.trainings import training_page, training_session

pytestmark = pytest.mark.django_db


def _titles(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return [item.get("titre") or item.get("nom") for item in response.json()["results"]]


def test_training_carries_its_public_description_and_next_session(client):
    theme = Theme.objects.create(name="Démarches en ligne", slug="demarches")
    competence = Competence.objects.create(name="Accompagner France Connect", slug="franceconnect")
    training = training_page(
        title="FranceConnect pas à pas",
        level="approfondissement",
        format="hybride",
        cost=Decimal("120"),
        funding="OPCO",
        organiser=OrganisationFactory(name="Les Assembleurs"),
        themes=[theme],
        competences=[competence],
    )
    first = training_session(training, days=5, venue=PlaceFactory())
    training_session(training, days=12)
    data = client.get(f"/api/v1/formations/{training.pk}").json()
    assert data["titre"] == "FranceConnect pas à pas"
    assert data["niveau"] == "approfondissement" and data["format"] == "hybride"
    assert data["cout_euros"] == 120 and data["gratuite"] is False
    assert data["financement"] == "OPCO"
    assert data["organisateur"]["nom"] == "Les Assembleurs"
    assert data["thematiques"] == [{"slug": "demarches", "nom": "Démarches en ligne"}]
    assert data["competences"][0]["slug"] == "franceconnect"
    assert data["sessions_a_venir"] == 2
    assert data["prochaine_session"].startswith(first.start.date().isoformat()[:7])
    assert data["url"].endswith(training.url)
    assert data["relayee"] is False and data["inscription_externe_url"] is None


def test_relayed_training_links_to_the_partner(client):
    training = training_page(
        is_relayed=True, external_registration_url="https://partenaire.exemple.fr/inscription"
    )
    data = client.get(f"/api/v1/formations/{training.pk}").json()
    assert data["relayee"] is True
    assert data["inscription_externe_url"] == "https://partenaire.exemple.fr/inscription"


def test_training_filters(client):
    theme = Theme.objects.create(name="Sécurité", slug="securite")
    quimper = PlaceFactory(
        commune="Quimper", postcode="29000", departement="29", latitude=47.996, longitude=-4.102
    )
    secure = training_page(title="Cybersécurité au quotidien", themes=[theme], format="distanciel")
    training_session(secure, venue=quimper)
    free = training_page(title="Découvrir la tablette", level="expert")
    training_session(free, venue=PlaceFactory())
    training_page(title="Sans date")
    assert _titles(client, "/api/v1/formations", thematique="securite") == [secure.title]
    assert _titles(client, "/api/v1/formations", niveau="expert") == [free.title]
    assert _titles(client, "/api/v1/formations", format="distanciel") == [secure.title]
    assert _titles(client, "/api/v1/formations", departement="29") == [secure.title]
    assert _titles(client, "/api/v1/formations", commune="quimper") == [secure.title]
    assert _titles(client, "/api/v1/formations", lat=48.0, lon=-4.1, rayon_km=10) == [secure.title]
    assert _titles(client, "/api/v1/formations", q="tablette") == [free.title]
    # Soonest first, trainings without a date last.
    assert _titles(client, "/api/v1/formations")[-1] == "Sans date"
    assert _titles(client, "/api/v1/formations", ordre="titre")[0] == "Cybersécurité au quotidien"
    unknown = client.get("/api/v1/formations", {"thematique": "inconnue"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["parametre"] == "thematique"
    assert client.get("/api/v1/formations", {"competence": "inconnue"}).status_code == 400


def test_unpublished_training_is_not_found(client):
    training = training_page()
    training.unpublish()
    assert client.get(f"/api/v1/formations/{training.pk}").status_code == 404
    assert client.get("/api/v1/formations").json()["count"] == 0


def test_peer_formats_with_their_upcoming_sessions(client):
    cafe = peer_format(title="Café conseil", group_size_max=8)
    peer_format(title="Analyse de pratiques")
    SessionFactory(page=cafe, kind="peer_exchange")
    data = client.get("/api/v1/echanges/formats").json()
    assert [item["titre"] for item in data["results"]] == ["Analyse de pratiques", "Café conseil"]
    detail = client.get(f"/api/v1/echanges/formats/{cafe.pk}").json()
    assert detail["sessions_a_venir"] == 1 and detail["participants_max"] == 8
    assert detail["deroule"] == "<p>Chacun apporte une situation vécue.</p>"
    assert _titles(client, "/api/v1/echanges/formats", a_venir="true") == ["Café conseil"]
    assert _titles(client, "/api/v1/echanges/formats", ordre="date")[0] == "Café conseil"
    assert client.get("/api/v1/echanges/formats/999999").status_code == 404


def test_numeritheque_items_without_bookings_or_internal_fields(client):
    place = PlaceFactory(identifier="fablab", commune="Brest", departement="29")
    training = training_page(title="Prendre en main la réalité virtuelle")
    item = ItemFactory(
        name="Casque VR",
        home_place=place,
        category=CategoryFactory(name="Réalité virtuelle", slug="vr"),
        needs_training=True,
        training_page=training,
        value=Decimal("549"),
    )
    ItemPhoto.objects.create(item=item, image=make_image(), caption="Le casque et ses manettes")
    ItemFactory(name="Imprimante 3D", state=Item.State.MAINTENANCE)
    ItemFactory(name="Vieille tablette", state=Item.State.RETIRED)
    data = client.get(f"/api/v1/numeritheque/objets/{item.pk}").json()
    assert data["nom"] == "Casque VR" and data["categorie"]["slug"] == "vr"
    assert data["contenu"] == ["2 manettes", "Câble de charge USB-C", "Housse"]
    assert data["lieu"]["id"] == "fablab"
    assert data["formation_prealable"] is True and data["formation_url"].endswith(training.url)
    assert data["photos"][0]["url"].startswith("http://testserver/")
    assert data["photos"][0]["texte_alternatif"] == "Le casque et ses manettes"
    assert not {"value", "valeur", "inventory_code", "numero_inventaire"} & set(data)
    assert "549" not in str(data)
    assert sorted(_titles(client, "/api/v1/numeritheque/objets")) == ["Casque VR", "Imprimante 3D"]
    assert _titles(client, "/api/v1/numeritheque/objets", disponible="true") == ["Casque VR"]
    assert _titles(client, "/api/v1/numeritheque/objets", departement="29") == ["Casque VR"]
    assert _titles(client, "/api/v1/numeritheque/objets", categorie="vr") == ["Casque VR"]
    assert client.get("/api/v1/numeritheque/objets", {"categorie": "x"}).status_code == 400
    retired = Item.objects.get(name="Vieille tablette")
    assert client.get(f"/api/v1/numeritheque/objets/{retired.pk}").status_code == 404
