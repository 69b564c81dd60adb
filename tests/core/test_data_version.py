"""The one data-version counter (core/data_version.py): every committed write of public data
moves it, once per transaction, and the page cache, the feeds and the API read it."""

import datetime
from unittest import mock

from django.core.cache import cache
from django.db import transaction

import pytest
import time_machine

from core import data_version
from core.models import PersonalDataAccess
from core.page_cache import HEADER
from directory.models import Epci
from directory.services import communes_load
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["cache", "database"])
def storage(request, settings):
    settings.MAILLAGE_DATA_VERSION_IN_CACHE = request.param
    cache.clear()
    yield request.param
    cache.clear()


def test_a_committed_write_moves_the_number_once_per_transaction(
    storage, django_capture_on_commit_callbacks
):
    before = data_version.current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for index in range(5):
            Epci.objects.create(siren=f"20000000{index}", name=f"Communauté {index}")
        assert data_version.current() == before
    for callback in callbacks:
        callback()
    assert data_version.current() == before + 1


def test_a_rolled_back_write_moves_nothing(storage, django_capture_on_commit_callbacks):
    before = data_version.current()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Epci.objects.create(siren="200000001", name="Annulée")
        raise RuntimeError
    assert data_version.current() == before


def test_changed_at_follows_the_last_change(storage, django_capture_on_commit_callbacks):
    first = data_version.changed_at()
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        Epci.objects.create(siren="200000002", name="Nouvelle")
    assert data_version.changed_at() > first


def test_private_rows_and_logins_move_nothing(storage, django_capture_on_commit_callbacks):
    person = UserFactory()
    before = data_version.current()
    with django_capture_on_commit_callbacks(execute=True):
        PersonalDataAccess.objects.create(user=person, what="Liste des comptes")
        person.save(update_fields=["last_login"])
    assert data_version.current() == before


def test_bulk_writes_say_so(django_capture_on_commit_callbacks):
    before = data_version.current()
    with django_capture_on_commit_callbacks(execute=True):
        communes_load(departements=["29"])
    assert data_version.current() == before + 1


def test_a_model_no_cache_knows_invalidates_pages_feeds_and_api(
    client, settings, django_capture_on_commit_callbacks
):
    """Nothing lists `Epci` as watched: a write to it still reaches every reader."""
    settings.MAILLAGE_PAGE_CACHE_SECONDS = 60
    SessionFactory()
    client.get("/")
    cache.clear()
    client.get("/")
    assert client.get("/")[HEADER] == "hit"
    since = client.get("/api/v1/sessions")["Last-Modified"]

    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    with time_machine.travel(later):
        with (
            mock.patch("events.tasks.public_feed_build.delay") as feed_build,
            django_capture_on_commit_callbacks(execute=True),
        ):
            Epci.objects.create(siren="200000003", name="Communauté jamais déclarée")
        assert feed_build.call_count == 1
        assert client.get("/")[HEADER] == "miss"
        response = client.get("/api/v1/sessions", headers={"if-modified-since": since})
    assert response.status_code == 200
    assert response["Last-Modified"] != since
