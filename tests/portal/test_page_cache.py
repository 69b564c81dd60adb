"""The anonymous page cache (core/page_cache.py): served whole to visitors without a session,
never to or from a logged-in person, and stale for no longer than the next write."""

import random
import string

from django.core.cache import cache
from django.test import Client

import pytest

from core import data_version
from core.page_cache import HEADER
from events import services
from newsletter.models import Subscriber
from portal.models import ContentPage, HomePage
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MAILLAGE_PAGE_CACHE_SECONDS = 60
    # The very first page of a site creates its settings row: a write, done before the tests.
    Client().get("/")
    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_visit_is_served_from_cache_without_sql(client, django_assert_num_queries):
    first = client.get("/")
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second[HEADER] == "hit"
    assert second.content == first.content


def test_a_cached_page_still_gets_fresh_security_headers(client):
    client.get("/")
    hit = client.get("/")
    assert hit[HEADER] == "hit"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Content-Type-Options"] == "nosniff"
    assert hit["X-Frame-Options"] == "DENY"
    assert "camera=()" in hit["Permissions-Policy"]


def test_publishing_a_change_shows_once_committed(client, django_capture_on_commit_callbacks):
    home = HomePage.objects.get()
    page = home.add_child(
        instance=ContentPage(title="Nos missions", slug="missions", intro="Première version.")
    )
    assert "Première version." in client.get(page.url).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.intro = "Version corrigée."
        page.save_revision().publish()
    # Until the commit, another process could still read the old rows: nothing moves yet.
    assert client.get(page.url)[HEADER] == "hit"
    for callback in callbacks:
        callback()
    response = client.get(page.url)
    assert response[HEADER] == "miss"
    assert "Version corrigée." in response.content.decode()


def test_a_registration_updates_the_seats_left_shown_to_visitors(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=3)
    url = f"/agenda/sessions/{session.pk}/"
    assert "3 places restantes" in client.get(url).content.decode()
    assert client.get(url)[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(session=session, user=UserFactory())
    assert "2 places restantes" in client.get(url).content.decode()


def test_query_strings_are_distinct_pages(client):
    client.get("/recherche/", {"q": "numérique"})
    other = client.get("/recherche/", {"q": "parentalité"})
    assert other[HEADER] == "miss"


def test_logged_in_people_neither_read_nor_fill_the_cache(client):
    person = UserFactory(first_name="Gwenaëlle")
    client.get("/")
    client.force_login(person)
    mine = client.get("/")
    assert HEADER not in mine
    assert "Se déconnecter" in mine.content.decode()

    anonymous = Client()
    response = anonymous.get("/")
    assert response[HEADER] == "hit"
    assert "Se déconnecter" not in response.content.decode()


def test_visitors_with_a_session_or_a_pending_message_are_not_served_from_cache(client):
    client.get("/")
    with_session = Client()
    with_session.cookies["sessionid"] = "quelconque"
    assert HEADER not in with_session.get("/")
    with_message = Client()
    with_message.cookies["messages"] = "quelconque"
    assert HEADER not in with_message.get("/")


def test_pages_that_render_a_csrf_token_are_never_cached(client):
    client.get("/comptes/login/")
    response = client.get("/comptes/login/")
    assert HEADER not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_switched_off_by_a_zero_lifetime(client, settings):
    settings.MAILLAGE_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert HEADER not in client.get("/")


def test_footer_subscription_works_from_a_cached_page_without_csrf_token():
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/")
    page = visitor.get("/")
    assert page[HEADER] == "hit"
    assert "csrfmiddlewaretoken" not in page.content.decode()
    response = visitor.post(
        "/lettre/inscription/",
        {"email": "loane@exemple.fr", "consent": "on", "source": "pied-de-page"},
    )
    assert response.status_code == 200
    # Double opt-in: the address waits for its confirmation link, nothing more.
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def page_keys() -> set[str]:
    """The cached pages themselves (locmem: the test cache), not the counters."""
    return {
        key for key in cache._cache if ":page-cache:" in key and ":page-cache:count:" not in key
    }


def test_parameters_a_view_does_not_read_bypass_the_cache(client):
    client.get("/annuaire/", {"utm_source": "x"})
    assert HEADER not in client.get("/annuaire/", {"utm_source": "x"})
    assert not page_keys()
    client.get("/annuaire/", {"q": "Rennes"})
    assert client.get("/annuaire/", {"q": "Rennes"})[HEADER] == "hit"


def test_a_flood_of_query_strings_stores_at_most_the_cap_per_view(client, settings):
    """500 random query strings (made-up parameters and values of declared ones) on a view and
    on a page: at most the cap of pages each, the other requests rendered without storing."""
    settings.MAILLAGE_PAGE_CACHE_MAX_PER_VIEW = 5
    # Nothing may expire while the flood runs, however slow the machine (500 requests can take minutes).
    settings.MAILLAGE_PAGE_CACHE_SECONDS = 24 * 3600
    rng = random.Random(15)
    SessionFactory()
    agenda = "/agenda/"
    # The first visits write (site settings, search promotions…): done before counting.
    client.get("/recherche/")
    client.get(agenda)
    cache.clear()
    version = data_version.current()
    for number in range(500):
        word = "".join(rng.choices(string.ascii_letters, k=8))
        url = rng.choice(["/recherche/", agenda])
        params = {word: word} if number % 2 else {"q" if url == "/recherche/" else "page": word}
        assert client.get(url, params).status_code in {200, 404}
    assert data_version.current() == version
    assert len(page_keys()) == 2 * settings.MAILLAGE_PAGE_CACHE_MAX_PER_VIEW
