"""List endpoints make the same number of SQL queries for 10 or 1,000 objects."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from directory.models import Organisation, Place
from events.models import Registration, Session
from numeritheque.models import Item, ItemPhoto
from peer_exchange.models import PeerFormatPage
from taxonomy.models import Competence, Theme
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.numeritheque import CategoryFactory, make_image
from tests.factories.pages import bulk_child_pages
from tests.factories.peer_exchange import peer_index
from tests.factories.trainings import training_index
from trainings.models import TrainingPage

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
_batch = iter(range(1_000_000))


def _places(count):
    batch = next(_batch)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Structure {batch}-{n}", siret=f"{n:014d}") for n in range(count)
    )
    return Place.objects.bulk_create(
        Place(
            identifier=f"lieu-{batch}-{n}",
            name=f"Lieu {batch}-{n}",
            organisation=organisations[n],
            address="1 place de la Mairie",
            postcode="35000",
            commune="Rennes",
            departement="35",
            latitude=48.1 + n / 10_000,
            longitude=-1.68,
        )
        for n in range(count)
    )


def _sessions(count):
    pages = [conference_page() for _ in range(5)]
    places = _places(5)
    batch = next(_batch)
    themes = [
        Theme.objects.create(name=f"Thème {batch}-{n}", slug=f"theme-{batch}-{n}") for n in range(3)
    ]
    start = timezone.now() + datetime.timedelta(days=2)
    sessions = Session.objects.bulk_create(
        Session(
            page=pages[n % 5],
            kind=Session.Kind.CONFERENCE,
            start=start + datetime.timedelta(hours=n),
            end=start + datetime.timedelta(hours=n + 1),
            venue=places[n % 5] if n % 3 else None,
            capacity=10,
            departement="35",
        )
        for n in range(count)
    )
    Session.themes.through.objects.bulk_create(
        Session.themes.through(session=session, theme=themes[n % 3])
        for n, session in enumerate(sessions)
    )
    person = UserFactory()
    Registration.objects.bulk_create(
        Registration(session=session, user=person, status=Registration.Status.CONFIRMED)
        for session in sessions
    )


def _page_sessions(pages, kind):
    """One upcoming session per page, every other one at a place."""
    places = _places(2)
    start = timezone.now() + datetime.timedelta(days=2)
    Session.objects.bulk_create(
        Session(
            page_id=page.pk,
            kind=kind,
            start=start + datetime.timedelta(hours=n),
            end=start + datetime.timedelta(hours=n + 1),
            venue=places[n % 2] if n % 2 else None,
            capacity=10,
            departement="35",
        )
        for n, page in enumerate(pages)
    )


def _trainings(count):
    batch = next(_batch)
    organisation = Organisation.objects.create(name=f"Organisme {batch}")
    pages = bulk_child_pages(
        training_index(),
        TrainingPage,
        count,
        summary="Une journée pour accompagner les usagers.",
        objectives="<p>Savoir accompagner.</p>",
        duration_hours=7,
        organiser=organisation,
    )
    theme = Theme.objects.create(name=f"Thème formation {batch}", slug=f"theme-f-{batch}")
    competence = Competence.objects.create(name=f"Compétence {batch}", slug=f"competence-{batch}")
    TrainingPage.themes.through.objects.bulk_create(
        TrainingPage.themes.through(trainingpage_id=page.pk, theme=theme) for page in pages
    )
    TrainingPage.competences.through.objects.bulk_create(
        TrainingPage.competences.through(trainingpage_id=page.pk, competence=competence)
        for page in pages
    )
    _page_sessions(pages, Session.Kind.TRAINING)


def _peer_formats(count):
    pages = bulk_child_pages(
        peer_index(),
        PeerFormatPage,
        count,
        summary="Un temps d'échange entre collègues.",
        method="<p>Chacun apporte une situation vécue.</p>",
    )
    _page_sessions(pages, Session.Kind.PEER_EXCHANGE)


def _items(count):
    batch = next(_batch)
    category = CategoryFactory()
    places = _places(3)
    items = Item.objects.bulk_create(
        Item(
            name=f"Tablette {batch}-{n}",
            slug=f"tablette-{batch}-{n}",
            inventory_code=f"INV-{batch}-{n}",
            category=category,
            home_place=places[n % 3],
            accessories="Chargeur\nHousse",
        )
        for n in range(count)
    )
    image = make_image()
    ItemPhoto.objects.bulk_create(
        ItemPhoto(item=item, image=image, caption="Une tablette", sort_order=0) for item in items
    )


def _count(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context), response.json()


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (_sessions, "/api/v1/sessions?page_size=100"),
        (_places, "/api/v1/lieux?page_size=100"),
        (_places, "/api/v1/lieux?page_size=100&lat=48.1&lon=-1.68&ordre=distance&rayon_km=50"),
        (_places, "/api/v1/structures?page_size=100"),
        (_trainings, "/api/v1/formations?page_size=100"),
        (_trainings, "/api/v1/formations?page_size=100&departement=35&ordre=titre"),
        (_peer_formats, "/api/v1/echanges/formats?page_size=100"),
        (_items, "/api/v1/numeritheque/objets?page_size=100"),
        (_items, "/api/v1/numeritheque/objets?page_size=100&lat=48.1&lon=-1.68&rayon_km=50"),
    ],
)
def test_list_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries, build, path):
    build(10)
    small, _ = _count(client, path)
    build(1000)
    with django_assert_max_num_queries(small):
        response = client.get(path)
    assert len(response.json()["results"]) == 100
    assert small <= MAX_QUERIES


def test_conference_list_queries_do_not_grow(client, django_assert_max_num_queries):
    for _ in range(3):
        SessionFactory(page=conference_page())
    small, _ = _count(client, "/api/v1/rencontres?page_size=100")
    for _ in range(30):
        page = conference_page()
        SessionFactory.create_batch(2, page=page)
    with django_assert_max_num_queries(small):
        data = client.get("/api/v1/rencontres?page_size=100").json()
    assert data["count"] == 33
    assert small <= MAX_QUERIES
