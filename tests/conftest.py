import os

from django.db import connection, connections

import pytest

from tests.browser import CHROMIUM_FLAGS, PHONE, chromium_path
from tests.factories.accounts import UserFactory, hub_staff
from tests.live_server import take_requests_in_turn

take_requests_in_turn()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what a rolled-back test cached (the Hub, the
    département names read once per data version, whose bump never committed) must not reach
    the next test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return hub_staff()


@pytest.fixture
def communes(db):
    """Only Brittany's communes: the whole file is loaded by the demo, not by each test."""
    from directory.services import communes_load

    communes_load(departements=["22", "29", "35", "56"])


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("Garantie vérifiée sur PostgreSQL (DATABASE_URL).")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each test opens its own context."""
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium est introuvable : .ci/run doit l'installer (paquet Debian chromium)."
            )
        pytest.skip("Chromium n'est pas installé (apt-get install chromium).")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # Playwright's event loop gives this thread new connection objects (Django keys them
        # by context in async code): hand them the migrated data that serialized_rollback
        # restores, or journeys run after a flush would start from an empty database.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        instance = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_FLAGS
        )
        _without_beacons(instance)
        yield instance
        instance.close()


# Wagtail's editor releases its editing session with navigator.sendBeacon when a page closes.
# Playwright neither sees nor waits for beacons, so the last one of a journey reached the live
# server after the test, when database access is blocked: the half-run request left the shared
# connection outside autocommit and every later browser test failed.
NO_BEACONS = "navigator.sendBeacon = () => true;"


def _without_beacons(browser) -> None:
    """Every context of the run opens its pages with beacons switched off."""
    new_context = browser.new_context

    def new_context_without_beacons(**options):
        context = new_context(**options)
        context.add_init_script(NO_BEACONS)
        return context

    browser.new_context = new_context_without_beacons


def _browser_page(browser, live_server, **options):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url, **options
    )
    context.set_default_timeout(30_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    context, browser_page = _browser_page(browser, live_server)
    yield browser_page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A page on a phone's 360 CSS px wide screen (the journeys people make on their
    phones). Not `is_mobile`: a mobile viewport zooms out to fit what overflows, which would
    hide the overflow the checks look for."""
    context, browser_page = _browser_page(browser, live_server, viewport=PHONE)
    yield browser_page
    context.close()


def pytest_collection_modifyitems(config, items):
    """Two rules that keep test isolation sound on both databases (and a third is a marker:
    the modules that open fifty PostgreSQL connections at once share the xdist group
    « postgres-threads », so two workers never exceed the server's max_connections together):

    - PostgreSQL-only tests are skipped at collection on SQLite, before any database set-up;
    - every transactional test restores the migrated data (serialized_rollback): a flush that
      re-ran post_migrate would recreate content types and groups under new keys, which then
      collide with the data the next serialized test restores."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if not on_postgres and (
            "postgres_only" in getattr(item, "fixturenames", ())
            or item.get_closest_marker("postgres")
        ):
            item.add_marker(
                pytest.mark.skip(reason="Garantie vérifiée sur PostgreSQL (DATABASE_URL).")
            )
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            item.add_marker(
                pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}),
                append=False,
            )
