from django.core.cache import cache

import pytest

from events.selectors import agenda_departements
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


def test_agenda_departements_are_computed_once_per_data_version(
    settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The agenda renders them every time: one DISTINCT per data version, not one per render."""
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        SessionFactory(venue__departement="29")
    assert agenda_departements() == ["29"]
    with django_assert_num_queries(0):
        assert agenda_departements() == ["29"]
    with django_capture_on_commit_callbacks(execute=True):
        SessionFactory(venue__departement="35")  # any committed write is a new data version
    assert agenda_departements() == ["29", "35"]


def test_the_list_follows_writes_when_the_version_lives_in_the_database(
    settings, django_capture_on_commit_callbacks
):
    """Without Redis each process caches on its own, keyed by the version every process reads."""
    settings.MAILLAGE_DATA_VERSION_IN_CACHE = False
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        SessionFactory(venue__departement="56")
    assert agenda_departements() == ["56"]
    with django_capture_on_commit_callbacks(execute=True):
        SessionFactory(venue__departement="22")
    assert agenda_departements() == ["22", "56"]
