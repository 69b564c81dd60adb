"""The catalogue's training cards, cached per data version (trainings_tags.training_cards): a
card follows its next session (which the filters choose) and that session's seats."""

import pytest

from events import services as event_services
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory
from tests.factories.trainings import training_index, training_page, training_session
from tests.trainings.test_catalogue import BREST, RENNES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    settings.MAILLAGE_FRAGMENT_CACHE_SECONDS = 3600


def test_the_card_names_the_next_session_the_filters_chose(client):
    training = training_page(title="Aidants numériques")
    training_session(training, days=3, venue=PlaceFactory(**RENNES))
    training_session(training, days=20, venue=PlaceFactory(**BREST))
    index = training_index()
    assert "Rennes (35)" in client.get(index.url).content.decode()
    html = client.get(index.url, {"departement": "29"}).content.decode()
    assert "Brest (29)" in html and "Rennes (35)" not in html


def test_a_full_next_session_shows_at_once(client, django_capture_on_commit_callbacks):
    training = training_page(title="Aidants numériques")
    session = training_session(training, days=3, capacity=1)
    index = training_index()
    assert "1 place restante" in client.get(index.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_create(session=session, user=UserFactory())
    html = client.get(index.url).content.decode()
    assert "1 place restante" not in html and "Complet" in html
