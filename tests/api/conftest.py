import datetime

from django.core.cache import cache
from django.utils import timezone

import pytest

from events.models import Registration
from taxonomy.models import Theme
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory

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
    """An agenda with registrations by a recognisable person, a place, an online session."""
    person = UserFactory(
        email=SECRETS["email"],
        first_name=SECRETS["first_name"],
        last_name=SECRETS["last_name"],
        phone=SECRETS["phone"],
    )
    place = PlaceFactory(identifier="lieu-rennes-1", name="EPN des Champs Libres")
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
