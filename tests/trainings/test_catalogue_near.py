"""The catalogue near a commune, in one statement: the places and the stops of mobile services
within the radius, their upcoming sessions, the first of each training (`DISTINCT ON` on
PostgreSQL, `ROW_NUMBER()` on SQLite) and the total with the page. Both formulations give the
same page as the per-training subqueries of `training_list_catalogue`: run this file on SQLite
and on PostgreSQL (DATABASE_URL); on PostgreSQL both formulations run."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from directory.models import PlaceStop
from events import services as event_services
from events.models import Session
from tests.factories.directory import PlaceFactory
from tests.factories.trainings import in_days, training_index, training_page, training_session
from trainings.selectors import (
    training_list_catalogue,
    training_page_of_catalogue,
    training_session_list,
)

pytestmark = pytest.mark.django_db

CESSON = (48.1214, -1.6031)  # 6 km east of Rennes' town hall
RENNES = {"latitude": 48.11198, "longitude": -1.68186}
BREST = {
    "postcode": "29200",
    "commune": "Brest",
    "insee_code": "29019",
    "departement": "29",
    "latitude": 48.39029,
    "longitude": -4.48628,
}


def at(session: Session, days: int) -> Session:
    """Move `session` to `days` from now at 9:00 (before the past, registration refuses)."""
    start = in_days(days)
    Session.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=3)
    )
    session.refresh_from_db()
    return session


@pytest.fixture
def hub():
    """Trainings whose next session near Cesson is known by construction:
    A (5 days, Rennes; an earlier one cancelled), B (5 days, same hour: after A by title),
    Bus (7 days, at a mobile service placed in Quimper that stops in Cesson), Mixte (20 days
    in Rennes; a sooner one in Brest, out of 20 km), and left out: Brest only, past only,
    online only, unpublished."""
    rennes, brest = PlaceFactory(**RENNES), PlaceFactory(**BREST)
    bus = PlaceFactory(
        name="Bus France Services", commune="Quimper", departement="29",
        latitude=47.9960, longitude=-4.1024,
    )  # fmt: skip
    PlaceStop.objects.create(
        place=bus, identifier="bus-cesson", address="Place de l'Église", postcode="35510",
        commune="Cesson-Sévigné", latitude=CESSON[0], longitude=CESSON[1],
    )  # fmt: skip
    trainings = {title: training_page(title=title) for title in ("A", "B", "Bus", "Mixte")}
    expected = {
        "A": training_session(trainings["A"], days=5, venue=rennes),
        "B": training_session(trainings["B"], days=5, venue=rennes),
        "Bus": training_session(trainings["Bus"], days=7, venue=bus),
        "Mixte": training_session(trainings["Mixte"], days=20, venue=rennes),
    }
    training_session(trainings["A"], days=9, venue=rennes)
    cancelled = training_session(trainings["A"], days=2, venue=rennes)
    event_services.session_cancel(session=cancelled, reason="Formatrice malade")
    mixte_at_the_bus = training_session(trainings["Mixte"], days=30, venue=bus)
    brest_first = training_session(trainings["Mixte"], days=1, venue=brest)
    training_session(training_page(title="Brest seulement"), days=3, venue=brest)
    at(training_session(training_page(title="Passée"), days=3, venue=rennes), -2)
    training_session(training_page(title="En ligne"), days=3, venue=None)
    hidden = training_page(title="Brouillon")
    training_session(hidden, days=3, venue=rennes)
    hidden.unpublish()
    return {
        "expected": expected,
        "brest_first": brest_first,
        "mixte_at_the_bus": mixte_at_the_bus,
        "rennes": rennes,
        "bus": bus,
    }


@pytest.fixture(params=["distinct_on", "row_number"])
def formulation(request, monkeypatch):
    """Which one-pass formulation runs: PostgreSQL's DISTINCT ON, or ROW_NUMBER() (the one
    SQLite runs; PostgreSQL runs it too, to compare the two on the same rows)."""
    if request.param == "distinct_on":
        if not connection.features.can_distinct_on_fields:
            pytest.skip("DISTINCT ON : PostgreSQL seulement (DATABASE_URL).")
    else:
        monkeypatch.setattr(connection.features, "can_distinct_on_fields", False)
    return request.param


def listed(page) -> list[tuple[str, int]]:
    return [(training.title, training.next_session.pk) for training in page]


def test_near_a_commune_pages_through_the_first_session_of_each_training(hub, formulation):
    expected = hub["expected"]
    first = training_page_of_catalogue(number=1, per_page=2, near=CESSON, radius_km=20)
    assert first.paginator.count == 4 and first.paginator.num_pages == 2
    assert listed(first) == [("A", expected["A"].pk), ("B", expected["B"].pk)]
    second = training_page_of_catalogue(number="2", per_page=2, near=CESSON, radius_km=20)
    assert listed(second) == [("Bus", expected["Bus"].pk), ("Mixte", expected["Mixte"].pk)]
    assert second.paginator.count == 4
    # The shown session carries its seats, as the card reads them.
    assert second[0].next_session.confirmed_total == 0
    past_the_end = training_page_of_catalogue(number=9, per_page=2, near=CESSON, radius_km=20)
    assert listed(past_the_end) == listed(second)


def test_the_one_pass_page_is_the_per_training_subqueries_page(hub, formulation):
    """Same trainings, same next sessions, same order as `training_list_catalogue`, at 20 km
    (the bus found by its stop) and at 300 km (Brest's sooner session becomes Mixte's next)."""
    for radius in (20, 300):
        reference = [
            (training.title, training.next_session_pk)
            for training in training_list_catalogue(near=CESSON, radius_km=radius)
        ]
        page = training_page_of_catalogue(number=1, per_page=50, near=CESSON, radius_km=radius)
        assert listed(page) == reference
        assert page.paginator.count == len(reference)
    wide = dict(
        listed(training_page_of_catalogue(number=1, per_page=50, near=CESSON, radius_km=300))
    )
    assert wide["Mixte"] == hub["brest_first"].pk
    assert "Brest seulement" in wide and "Passée" not in wide and "En ligne" not in wide


def test_other_session_filters_combine_with_the_distance(hub, formulation):
    month = timezone.localdate(hub["expected"]["Mixte"].start).replace(day=1)
    page = training_page_of_catalogue(
        number=1, per_page=20, near=CESSON, radius_km=20, departement="29"
    )
    # The bus is a Finistère place: its sessions only, Mixte's at its 30-day one.
    assert listed(page) == [
        ("Bus", hub["expected"]["Bus"].pk),
        ("Mixte", hub["mixte_at_the_bus"].pk),
    ]
    page = training_page_of_catalogue(
        number=1, per_page=20, near=CESSON, radius_km=20, month=month, q="Mixte"
    )
    assert [training.title for training in page] == ["Mixte"]


def test_a_session_at_a_stop_near_the_commune_is_found_in_the_feeds_too(hub):
    sessions = list(training_session_list(near=CESSON, radius_km=10))
    assert hub["expected"]["Bus"] in sessions
    assert {session.venue_id for session in sessions} == {hub["rennes"].pk, hub["bus"].pk}


def test_the_places_are_searched_in_the_same_statement_as_the_sessions(hub):
    """No list of place keys read first and sent back: one statement selects the page."""
    with CaptureQueriesContext(connection) as queries:
        page = training_page_of_catalogue(number=1, per_page=20, near=CESSON, radius_km=20)
        assert len(page) == 4
    selecting = [q["sql"] for q in queries if "directory_placestop" in q["sql"]]
    assert len(selecting) == 1
    assert "events_session" in selecting[0] and "directory_place" in selecting[0]
    assert not [q for q in queries if q["sql"].upper().startswith("SELECT COUNT(")]


def test_the_catalogue_page_lists_a_training_met_at_a_stop(hub, client, communes):
    response = client.get(training_index().url, {"near": "Cesson-Sévigné", "radius": "10"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "4 formations" in content
    assert "Bus" in content and "Brest seulement" not in content
