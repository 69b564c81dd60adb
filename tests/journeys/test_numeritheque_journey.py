"""A structure manager finds a VR headset free next week and books it; the numérithèque team
approves, checks it out on the pick-up day and back in on the return day."""

import datetime
import zoneinfo

from django.utils import timezone

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from numeritheque import services
from numeritheque.models import Booking
from tests.factories.accounts import DEFAULT_PASSWORD, numeritheque_manager
from tests.factories.numeritheque import CategoryFactory, ItemFactory, manager_of_structure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def log_in(page, email, next_url):
    page.goto(f"/comptes/login/?next={next_url}")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"**{next_url}")


def serious_violations(page) -> list:
    """Serious axe violations in the page's own content (the site shell has its own tests)."""
    results = Axe().run(page, context="#contenu")
    return [
        (violation["id"], [node["html"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=PARIS))


def test_book_a_vr_headset_next_week_then_check_out_and_in(page):
    vr = CategoryFactory(name="Casques de réalité virtuelle", buffer_days=1)
    CategoryFactory(name="Imprimantes 3D")
    ItemFactory(name="Casque Meta Quest 3 n° 1", slug="quest-1", category=vr)
    taken = ItemFactory(name="Casque Meta Quest 3 n° 2", slug="quest-2", category=vr)
    manager, structure = manager_of_structure(email="direction@ccas.fr")
    numeritheque_manager(email="pret@hub.fr")
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    wednesday = monday + datetime.timedelta(days=2)
    services.booking_request(
        requester=manager,
        structure=structure,
        items=[taken],
        start=monday,
        end=wednesday,
        purpose="Déjà réservé",
    )

    log_in(page, "direction@ccas.fr", "/mon-espace/")
    page.goto("/numeritheque/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Catégorie").select_option(label="Casques de réalité virtuelle")
    page.get_by_label("Libre du").fill(monday.isoformat())
    page.get_by_label("au", exact=True).fill(wednesday.isoformat())
    page.get_by_role("button", name="Voir ce qui est libre").click()
    assert page.get_by_role("link", name="Casque Meta Quest 3 n° 2").count() == 0
    page.get_by_role("link", name="Casque Meta Quest 3 n° 1").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Réserver ce matériel").click()
    page.get_by_label("Jour du retrait").fill(monday.isoformat())
    page.get_by_label("Jour du retour").fill(wednesday.isoformat())
    assert page.get_by_label("Casque Meta Quest 3 n° 1").is_checked()
    page.get_by_label("Objet du prêt").fill("Découverte de la réalité virtuelle au club seniors")
    page.get_by_label("Public accompagné").fill("seniors")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/mon-espace/")
    booking = Booking.objects.exclude(purpose="Déjà réservé").get()
    expect(page.get_by_text("Demandée").first).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "pret@hub.fr", "/admin/numeritheque/")
    page.get_by_role("button", name=f"Accepter la demande n° {booking.pk}").click()
    page.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ACCEPTED

    with at(monday):
        page.goto("/admin/numeritheque/")
        page.get_by_role("link", name=f"Sortie de la réservation n° {booking.pk}").click()
        page.get_by_label("Casque Meta Quest 3 n° 1 : 2 manettes").check()
        page.get_by_label("État constaté").fill("Complet, écran propre")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url("**/admin/numeritheque/")
        booking.refresh_from_db()
        assert booking.status == Booking.Status.OUT

    with at(wednesday):
        page.goto("/admin/numeritheque/")
        page.get_by_role("link", name=f"Retour de la réservation n° {booking.pk}").click()
        page.get_by_label("État constaté").fill("Rendu complet")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url("**/admin/numeritheque/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.RETURNED
    assert list(booking.transitions.values_list("to_status", flat=True)) == [
        "demandee",
        "acceptee",
        "sortie",
        "rendue",
    ]
