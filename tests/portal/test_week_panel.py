"""The admin home shows the week per role, each line linking to its screen."""

import datetime

from django.utils import timezone

import pytest

from directory.models import PlaceErrorReport, PlaceProposal
from events import services as event_services
from events.models import Session
from numeritheque import services as numeritheque_services
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def week():
    soon = SessionFactory(capacity=1)
    event_services.registration_create(session=soon, user=UserFactory())
    event_services.registration_create(session=soon, user=UserFactory())
    held = SessionFactory()
    event_services.registration_create(session=held, user=UserFactory())
    start = timezone.now() - datetime.timedelta(days=1)
    Session.objects.filter(pk=held.pk).update(start=start, end=start + datetime.timedelta(hours=2))
    report = PlaceErrorReport.objects.create(place=PlaceFactory(name="Espace Rohan"), message="x")
    manager, structure = manager_of_structure(email="gestion@exemple.fr")
    booking = numeritheque_services.booking_request(
        requester=manager,
        structure=structure,
        items=[ItemFactory()],
        start=days(3),
        end=days(5),
        purpose="Atelier",
    )
    proposal = PlaceProposal.objects.create(
        organisation=structure, proposed_by=manager, data={"name": "Tiers-lieu de Bréquigny"}
    )
    return {
        "soon": soon,
        "held": held,
        "report": report,
        "booking": booking,
        "proposal": proposal,
    }


def test_hub_staff_read_their_week_with_links(client, week, django_assert_max_num_queries):
    client.force_login(hub_staff())
    client.get("/admin/")
    with django_assert_max_num_queries(60):
        html = client.get("/admin/").content.decode()
    assert "Votre semaine" in html
    assert f"/admin/agenda/sessions/manage/{week['soon'].pk}/" in html
    assert "1 / 1 places" in html and "1 en liste d'attente" in html
    assert f"/admin/agenda/sessions/manage/{week['held'].pk}/attendance/" in html
    assert "1 personne à noter" in html
    assert "Espace Rohan" in html
    assert f"/annuaire/propositions/#proposition-{week['proposal'].pk}" in html
    assert "Tiers-lieu de Bréquigny" in html
    assert f"/admin/numeritheque/reservations/{week['booking'].pk}/" in html


def test_the_numeritheque_team_sees_only_its_loans(client, week):
    client.force_login(numeritheque_manager(email="pret@exemple.fr"))
    html = client.get("/admin/").content.decode()
    assert "Réservations à traiter" in html
    assert f"/admin/numeritheque/reservations/{week['booking'].pk}/" in html
    assert "Émargement à faire" not in html and "Espace Rohan" not in html
    assert "Bréquigny" not in html
