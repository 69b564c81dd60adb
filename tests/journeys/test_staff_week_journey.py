"""A staff week in Chromium: Hub staff log in, read the week on the admin home, open a
session's registrations, mark attendance, read the report of their département, and hand a
loan over at the numérithèque desk on a phone (360 px). axe-core checks the parts of each
admin screen the project draws (Wagtail's own chrome is Wagtail's)."""

import datetime
import zoneinfo

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from events import services as events
from events.models import Registration
from numeritheque import services as numeritheque
from numeritheque.models import Booking
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.numeritheque import ItemFactory, manager_of_structure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PHONE = {"width": 360, "height": 740}
# What sticks out to the right of the screen (null when the page fits).
OVERFLOW = """() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    return [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 1)
        .map((element) => element.tagName.toLowerCase() + "." + String(element.className))
        .slice(-4);
}"""


def serious_violations(page, context: str) -> list:
    """Serious or critical axe violations inside `context`, our own part of the screen."""
    results = Axe().run(page, context=context)
    return [
        (violation["id"], [node["html"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_a_staff_week_from_the_dashboard_to_the_desk(page):
    today = datetime.date.today()
    tuesday = today + datetime.timedelta(days=7 + (1 - today.weekday()) % 7)
    start = datetime.datetime.combine(tuesday, datetime.time(14), tzinfo=PARIS)
    rennes = PlaceFactory(name="Espace numérique de Rennes", departement="35")
    brest = PlaceFactory(name="Médiathèque de Brest", commune="Brest", departement="29")
    session = SessionFactory(
        title="Accompagner les démarches CAF",
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue=rennes,
    )
    far = SessionFactory(
        title="Atelier à Brest",
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue=brest,
    )
    gwen = UserFactory(first_name="Gwenaëlle", last_name="Le Goff")
    events.registration_create(session=session, user=gwen)
    events.registration_create(session=session, user=UserFactory(last_name="Tanguy"))
    events.registration_create(session=far, user=UserFactory(last_name="Quéré"))
    staff = hub_staff(email="morgane@hub.fr")
    requester, structure = manager_of_structure(email="direction@ccas.fr")
    booking = numeritheque.booking_request(
        requester=requester,
        structure=structure,
        items=[ItemFactory(name="Valise de tablettes")],
        start=tuesday,
        end=tuesday + datetime.timedelta(days=2),
        purpose="Atelier tablettes",
    )
    numeritheque.booking_approve(booking=booking, by=staff)

    # The session's day, before it starts.
    with time_machine.travel(start - datetime.timedelta(hours=1)):
        page.goto("/admin/")
        page.get_by_label("E-mail").fill("morgane@hub.fr")
        page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_url("**/admin/")

        # The week: the session, its fill rate, and today's pick-up at the desk.
        expect(page.get_by_role("heading", name="Votre semaine")).to_be_visible()
        week = page.locator(".week-panel")
        expect(week.get_by_text("2 / 10 places")).to_be_visible()
        assert serious_violations(page, ".week-panel") == []
        week.get_by_role("link", name="Accompagner les démarches CAF").click()

        # Its registrations, then the attendance sheet.
        expect(page.get_by_text("Le Goff").first).to_be_visible()
        assert serious_violations(page, ".nice-padding") == []
        page.get_by_role("link", name="Feuille d'émargement").click()
        page.get_by_role("button", name="Présent·e — Gwenaëlle Le Goff").click()
        page.wait_for_load_state()
        assert Registration.objects.get(user=gwen).status == Registration.Status.ATTENDED
        expect(page.get_by_role("button", name="Présent·e — Gwenaëlle Le Goff")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert serious_violations(page, ".attendance-list") == []

        # The quarter's report for Ille-et-Vilaine only: Brest's registration is not counted.
        page.goto("/admin/rapports/")
        page.get_by_label("Département").fill("35")
        page.get_by_role("button", name="Afficher", exact=True).click()
        page.wait_for_url("**departement=35**")
        expect(page.get_by_role("row", name="Inscriptions 2", exact=True)).to_be_visible()
        expect(page.get_by_role("row", name="Présent·es 1", exact=True)).to_be_visible()
        assert serious_violations(page, ".report-figures") == []

        # The desk, on a phone: today's pick-up handed over.
        page.set_viewport_size(PHONE)
        page.goto("/admin/numeritheque/")
        assert page.evaluate(OVERFLOW) is None
        assert serious_violations(page, ".nice-padding") == []
        page.get_by_role("link", name=f"Sortie de la réservation n° {booking.pk}").click()
        page.get_by_label("État constaté").fill("Dix tablettes chargées, housses comprises")
        assert page.evaluate(OVERFLOW) is None
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url("**/admin/numeritheque/")
        expect(page.get_by_text("Sortie enregistrée.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.OUT
