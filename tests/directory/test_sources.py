"""Published exports re-imported on a schedule, tested against a local HTTP server."""

import functools
import http.server
import threading

import pytest

from directory import tasks
from directory.models import Place, PlaceSource
from portal.celery import app

from .conftest import DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    """A local HTTP server serving tests/directory/data."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(DATA))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_nightly_task_reimports_each_source_and_a_broken_one_blocks_nothing(server):
    broken = PlaceSource.objects.create(name="Disparue", url=f"{server}/absente.csv")
    hub = PlaceSource.objects.create(
        name="Hub voisin", url=f"{server}/lieux_bom_pointvirgule.csv", source="Hub voisin"
    )
    PlaceSource.objects.create(name="Arrêtée", url=f"{server}/lieux.json", is_active=False)
    tasks.place_sources_fetch_all()
    broken.refresh_from_db()
    hub.refresh_from_db()
    assert broken.error == f"Le serveur a répondu 404 pour {server}/absente.csv."
    assert hub.error == "" and hub.report["created"] == 4
    assert len(hub.report["rejected"]) == 3
    assert Place.objects.count() == 4
    tasks.place_sources_fetch_all()
    hub.refresh_from_db()
    assert (hub.report["created"], hub.report["unchanged"]) == (0, 4)


def test_sources_are_fetched_every_night_by_celery_beat():
    entry = app.conf.beat_schedule["directory-sources-fetch"]
    assert entry["task"] == "directory.tasks.place_sources_fetch_all"
