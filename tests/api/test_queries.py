"""List endpoints make the same number of SQL queries for 10 or 1,000 objects."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from directory.models import Organisation, Place
from events.models import Registration, Session
from taxonomy.models import Theme
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory, conference_page

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
