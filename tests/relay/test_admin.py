"""Hub staff run the relay from the Wagtail admin: the sources, the events that wait for them,
each source's report."""

from unittest import mock

import pytest

from events.models import Session
from relay.models import RelayedEvent, RelaySource
from relay.services import source_create, source_fetch
from tests.factories.accounts import UserFactory
from tests.factories.events import agenda_index

from .conftest import feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_source(feed_server, in_january_2027):
    agenda_index()
    feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    source = source_create(url=feed_server.url("/agenda.ics"), kind="ics", name="Fabrique")
    source_fetch(source=source)
    return source


def test_staff_publish_refuse_from_the_queue(client, staff_user, waiting_source):
    client.force_login(staff_user)
    page = client.get("/admin/relais/a-valider/").content.decode()
    assert "Permanence démarches en ligne" in page and "Fabrique" in page
    first, second = RelayedEvent.objects.filter(status=RelayedEvent.Status.PENDING)
    response = client.post("/admin/relais/a-valider/", {"event": first.pk, "action": "publish"})
    assert response.status_code == 302
    client.post("/admin/relais/a-valider/", {"event": second.pk, "action": "refuse"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RelayedEvent.Status.PUBLISHED and first.session is not None
    assert second.status == RelayedEvent.Status.REFUSED
    assert Session.objects.filter(relayed_from="Fabrique").count() == 1
    # Deciding twice is said in French, and changes nothing.
    response = client.post(
        "/admin/relais/a-valider/", {"event": second.pk, "action": "publish"}, follow=True
    )
    assert "attend plus de décision" in response.content.decode()


def test_the_report_page_and_fetch_now(client, staff_user, waiting_source):
    client.force_login(staff_user)
    url = f"/admin/relais/agendas/{waiting_source.pk}/compte-rendu/"
    page = client.get(url).content.decode()
    assert "2 à valider" in page and "Importée" in page
    with mock.patch("relay.tasks.relay_source_fetch.delay") as delay:
        response = client.post(url)
    assert response.status_code == 302
    listing = client.get("/admin/relais/agendas/").content.decode()
    assert "Fabrique" in listing and url in listing
    assert delay.call_count in (0, 1)  # queued after commit (the test's transaction)


def test_people_outside_the_hub_team_cannot_decide(client, waiting_source):
    client.force_login(UserFactory())
    response = client.post(
        "/admin/relais/a-valider/",
        {"event": RelayedEvent.objects.first().pk, "action": "publish"},
    )
    assert response.status_code in (302, 403)
    assert not Session.objects.filter(relayed_from="Fabrique").exists()
    assert RelaySource.objects.get().status == RelaySource.Status.OK
