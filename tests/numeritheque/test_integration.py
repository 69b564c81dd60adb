import io

from django.urls import reverse

import pytest
from PIL import Image as PILImage

from accounts.services import user_delete, user_export_data
from numeritheque import services, tasks
from numeritheque.models import Booking, InspectionPhoto
from portal.celery import app
from tests.factories.accounts import numeritheque_manager
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    user, structure = manager_of_structure()
    return services.booking_request(
        requester=user,
        structure=structure,
        items=[ItemFactory(name="Kit Thymio")],
        start=days(0),
        end=days(2),
        purpose="Semaine du code",
    )


def test_personal_data_export_and_erase_keep_the_loan_history(booking):
    user = booking.requester
    exported = user_export_data(user=user)["numeritheque_reservations"]
    assert exported[0]["materiels"] == ["Kit Thymio"]
    assert exported[0]["objet"] == "Semaine du code"
    user_delete(user=user)
    booking.refresh_from_db()
    assert booking.requester is None
    assert Booking.objects.count() == 1


def test_reminders_are_in_the_beat_schedule():
    entry = app.conf.beat_schedule["numeritheque-reminders"]
    assert entry["task"] == tasks.booking_reminders_dispatch.name


def test_check_out_form_keeps_a_photo(client, booking):
    team = numeritheque_manager()
    services.booking_approve(booking=booking, by=team)
    client.force_login(team)
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "white").save(buffer, "PNG")
    buffer.name = "etat.png"
    buffer.seek(0)
    response = client.post(
        reverse("numeritheque_guichet:check_out", args=[booking.pk]),
        {"condition_notes": "Rayure sur un robot", "photos": buffer},
    )
    assert response.status_code == 302
    photo = InspectionPhoto.objects.get()
    assert photo.inspection.booking == booking
    assert photo.inspection.condition_notes == "Rayure sur un robot"
