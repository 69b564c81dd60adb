import os

from django.db import connection, connections

import pytest

from tests.browser import CHROMIUM_FLAGS, chromium_path
from tests.factories.accounts import UserFactory, hub_staff


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return hub_staff()


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
        # Playwright's sync API runs the tests in another context, where asgiref hands Django
        # new connection wrappers: without the serialized data, serialized_rollback would
        # restore nothing after the first transactional test flushed the database.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        instance = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()
