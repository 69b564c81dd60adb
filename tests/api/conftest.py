import datetime

from django.core.cache import cache
from django.utils import timezone

import pytest

from events.models import Registration
from numeritheque.models import Booking, BookingItem
from taxonomy.models import Theme
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.numeritheque import ItemFactory, days
from tests.factories.peer_exchange import peer_format, proposal
from tests.factories.trainings import training_page, training_session

# What a person typed into the portal: none of it may ever appear in the open API.
SECRETS = {
    "email": "zebulon.confidentiel@prive-exemple.fr",
    "first_name": "Zébulon",
    "last_name": "Confidentielissime",
    "phone": "0611223344",
    "answer": "Allergie-secrete-aux-arachides",
    "online_url": "https://visio.exemple.fr/salle-reservee-aux-inscrits",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def theme(db):
    return Theme.objects.create(name="Inclusion numérique", slug="inclusion-numerique")


@pytest.fixture
def seeded(db, theme):
    """An agenda with registrations by a recognisable person, a place whose contact columns
    are theirs, an online session."""
    person = UserFactory(
        email=SECRETS["email"],
        first_name=SECRETS["first_name"],
        last_name=SECRETS["last_name"],
        phone=SECRETS["phone"],
    )
    place = PlaceFactory(
        identifier="lieu-rennes-1",
        name="EPN des Champs Libres",
        emails=[SECRETS["email"]],
        phone=SECRETS["phone"],
    )
    in_person = SessionFactory(venue=place, capacity=2)
    in_person.themes.add(theme)
    online = SessionFactory(
        venue=None,
        kind="webinar",
        online_url=SECRETS["online_url"],
        start=timezone.now() + datetime.timedelta(days=3),
    )
    online.end = online.start + datetime.timedelta(hours=1)
    online.save()
    for session in (in_person, online):
        Registration.objects.create(
            session=session,
            user=person,
            status=Registration.Status.CONFIRMED,
            answers={"structure": SECRETS["answer"]},
        )
    return {"person": person, "place": place, "in_person": in_person, "online": online}


@pytest.fixture
def seeded_catalogues(seeded, theme):
    """The seeded agenda plus a training, a peer-exchange format the recognisable person
    proposed a session of, and an item they booked."""
    person, place = seeded["person"], seeded["place"]
    training = training_page(themes=[theme])
    training_session(training, venue=place)
    format_page = peer_format()
    proposal(
        proposer=person,
        format_page=format_page,
        host=place,
        topic=SECRETS["answer"],
        description=SECRETS["answer"],
    )
    item = ItemFactory(home_place=place)
    booking = Booking.objects.create(
        structure=place.organisation,
        requester=person,
        start=days(3),
        end=days(5),
        purpose=SECRETS["answer"],
    )
    BookingItem.objects.create(
        booking=booking, item=item, blocked_start=days(3), blocked_end=days(6)
    )
    return {**seeded, "training": training, "format": format_page, "item": item}
