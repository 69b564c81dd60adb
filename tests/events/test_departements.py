from django.core.cache import cache

import pytest

from events.selectors import agenda_departements
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


def test_agenda_departements_are_computed_once_per_data_version(
    settings, django_assert_num_queries
):
    """The agenda renders them every time: with a shared cache, one DISTINCT per data version."""
    settings.MAILLAGE_PAGE_CACHE_SECONDS = 60
    cache.clear()
    SessionFactory(venue__departement="29")
    assert agenda_departements() == ["29"]
    with django_assert_num_queries(0):
        assert agenda_departements() == ["29"]
    SessionFactory(venue__departement="35")  # any write is a new data version
    assert agenda_departements() == ["29", "35"]


def test_without_a_shared_cache_they_are_read_each_time(settings, django_assert_num_queries):
    settings.MAILLAGE_PAGE_CACHE_SECONDS = 0
    SessionFactory(venue__departement="56")
    with django_assert_num_queries(1):
        assert agenda_departements() == ["56"]
