from django.core.management import call_command

import pytest

from numeritheque.demo import STRUCTURE_MANAGER_EMAIL, STRUCTURE_MANAGER_PASSWORD
from numeritheque.models import Booking, Item
from portal.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_demo_has_a_catalogue_and_loans_in_every_state(client):
    call_command("load_demo")
    assert Item.objects.filter(category__slug="casques-vr").count() >= 3
    assert Item.objects.filter(name__contains="Thymio").exists()
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {"rendue", "sortie", "acceptee", "demandee"} <= statuses
    assert any(booking.is_late for booking in Booking.objects.all())
    assert client.login(email=STRUCTURE_MANAGER_EMAIL, password=STRUCTURE_MANAGER_PASSWORD)
    assert "En retard" in client.get("/mon-espace/").content.decode()
    menu = SiteSettings.objects.get().main_menu
    assert any(block.value["label"] == "Numérithèque" for block in menu)
