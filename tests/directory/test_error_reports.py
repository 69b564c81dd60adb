"""« Signaler une erreur »: a short form on every public fiche, rate-limited, reaching the
place's managers and Hub staff, fixed from the email and closed with a history entry."""

from django.core import mail
from django.core.cache import cache

import pytest

from directory.models import PlaceChange, PlaceErrorReport
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory, StructureMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place_with_manager():
    cache.clear()
    place = PlaceFactory()
    manager = UserFactory(email="gestion@exemple.fr")
    StructureMembershipFactory(user=manager, organisation=place.organisation, is_manager=True)
    return place, manager


def test_anyone_reports_an_error_and_managers_and_staff_are_emailed(
    client, place_with_manager, staff_user, django_capture_on_commit_callbacks
):
    place, manager = place_with_manager
    assert (
        f"/annuaire/{place.pk}/signaler/" in client.get(f"/annuaire/{place.pk}/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/annuaire/{place.pk}/signaler/", {"message": "Fermé le lundi désormais."}
        )
    assert response.status_code == 302
    report = PlaceErrorReport.objects.get()
    (message,) = mail.outbox
    assert set(message.to) == {manager.email, staff_user.email}
    body = message.body
    assert "Fermé le lundi désormais." in body
    assert f"/annuaire/{place.pk}/modifier/" in body
    assert f"/annuaire/signalements/{report.pk}/clore/" in body


def test_an_empty_report_is_refused_in_french(client, place_with_manager):
    place, _manager = place_with_manager
    response = client.post(f"/annuaire/{place.pk}/signaler/", {"message": " "})
    assert response.status_code == 400
    assert not PlaceErrorReport.objects.exists()


def test_reports_are_rate_limited_per_address(client, place_with_manager):
    place, _manager = place_with_manager
    for _ in range(5):
        client.post(f"/annuaire/{place.pk}/signaler/", {"message": "Erreur"})
    response = client.post(f"/annuaire/{place.pk}/signaler/", {"message": "Encore"})
    assert response.status_code == 429
    assert "réessayez dans une heure" in response.content.decode()
    assert PlaceErrorReport.objects.count() == 5


def test_the_manager_closes_the_report_with_a_history_entry(client, place_with_manager):
    place, manager = place_with_manager
    report = PlaceErrorReport.objects.create(place=place, message="Mauvais numéro", email="a@b.fr")
    close = f"/annuaire/signalements/{report.pk}/clore/"
    client.force_login(UserFactory())
    assert client.post(close).status_code == 403
    client.force_login(manager)
    assert "Corriger la fiche" in client.get(close).content.decode()
    client.post(close)
    report.refresh_from_db()
    assert report.closed_by == manager and report.email == ""
    change = PlaceChange.objects.get(place=place)
    assert change.changes["signalement"] == ["Mauvais numéro", "corrigé, signalement clos"]
