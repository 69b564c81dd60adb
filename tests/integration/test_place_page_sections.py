import datetime

from django.utils import timezone

import pytest

from events.services import session_create
from tests.factories.directory import PlaceFactory

pytestmark = pytest.mark.django_db


def test_place_page_lists_its_upcoming_sessions(client):
    from events.models import AgendaIndexPage, ConferencePage
    from portal.models import HomePage

    place = PlaceFactory(name="Médiathèque des Champs Libres")
    agenda = HomePage.objects.get().add_child(
        instance=AgendaIndexPage(title="Agenda", slug="agenda")
    )
    page = agenda.add_child(instance=ConferencePage(title="Rencontre régionale", slug="rencontre"))
    start = timezone.now() + datetime.timedelta(days=10)
    session_create(
        page=page, start=start, end=start + datetime.timedelta(hours=2), venue=place, capacity=20
    )
    elsewhere = PlaceFactory()
    session_create(
        page=page,
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue=elsewhere,
        title="Ailleurs",
    )

    html = client.get(f"/annuaire/{place.pk}/").content.decode()
    assert "Prochaines sessions dans ce lieu" in html
    assert "Rencontre régionale" in html
    assert "Ailleurs" not in html
