"""Find anything, borrow what you need (issue 22), on a 360 px phone: a structure manager
searches « tablette » from the header, reads the grouped results, opens the tablet, picks the
loan's days on its calendar with the keyboard, books it, and reads in Mon espace where and
when to pick it up. axe-core on each page; no page scrolls sideways."""

import datetime

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from core.dates import date_in_french
from numeritheque.models import Booking
from tests.factories.directory import PlaceFactory
from tests.factories.numeritheque import CategoryFactory, ItemFactory, manager_of_structure
from tests.journeys.test_numeritheque_journey import log_in, serious_violations
from tests.portal.test_phone_layout import OVERFLOW

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}


def checked(page) -> None:
    """What every page of the journey must be: accessible and no wider than the phone (the
    phone-layout test's probe names what sticks out)."""
    assert serious_violations(page) == [], page.url
    assert page.evaluate(OVERFLOW) is None, page.url


def test_search_a_tablet_pick_days_on_its_calendar_book_it_and_read_where_to_fetch_it(page):
    rennes = PlaceFactory(
        name="Bibliothèque des Champs Libres",
        address="10 cours des Alliés",
        postcode="35000",
        commune="Rennes",
        opening_hours="Mo-Sa 10:00-19:00",
    )
    tablets = CategoryFactory(name="Tablettes numériques", buffer_days=1)
    ItemFactory(
        name="Tablette Samsung Galaxy Tab S9 avec une housse de protection renforcée",
        slug="tablette-galaxy",
        category=tablets,
        home_place=rennes,
        accessories="Chargeur USB-C\nHousse",
    )
    manager_of_structure(email="direction@ccas.fr")
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    tuesday = monday + datetime.timedelta(days=1)

    page.set_viewport_size(PHONE)
    log_in(page, "direction@ccas.fr", "/mon-espace/")
    page.goto("/")
    search = page.get_by_label("Rechercher sur le portail")
    search.fill("tablette")
    search.press("Enter")
    page.wait_for_url("**/recherche/**")
    expect(page.get_by_role("heading", name="Matériel à emprunter")).to_be_visible()
    checked(page)

    page.get_by_role("link", name="Tablette Samsung Galaxy Tab S9", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tablette Samsung")
    checked(page)

    def day_link(day: datetime.date, which: str):
        label = date_in_french(day, "l j F")
        return page.get_by_role("link", name=f"Choisir le {label} comme jour de {which}")

    def choose(day: datetime.date, which: str) -> None:
        """Reach `day`'s month, then follow its link from the keyboard."""
        if day_link(day, which).count() == 0:
            page.locator("a[rel=next]").click()
        day_link(day, which).focus()
        page.keyboard.press("Enter")

    choose(monday, "retrait")
    page.wait_for_url("**du=*")
    choose(tuesday, "retour")
    page.wait_for_url("**au=*")
    checked(page)
    booking_link = page.get_by_role("link", name="Réserver ces dates")
    booking_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/numeritheque/reserver/**")
    assert page.get_by_label("Jour du retrait").input_value() == monday.isoformat()
    assert page.get_by_label("Jour du retour").input_value() == tuesday.isoformat()
    case = page.get_by_role("checkbox", name="Housse", exact=True)
    expect(case).to_be_checked()
    checked(page)
    case.uncheck()
    page.get_by_label("Objet du prêt").fill("Atelier « premiers pas sur tablette » au CCAS")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/mon-espace/")

    booking = Booking.objects.get()
    assert (booking.start, booking.end) == (monday, tuesday)
    assert booking.booking_items.get().accessories == ["Chargeur USB-C"]
    bookings = page.locator("#titre-numeritheque").locator("..")
    expect(bookings).to_contain_text("Bibliothèque des Champs Libres")
    expect(bookings).to_contain_text("10 cours des Alliés")
    expect(bookings).to_contain_text("horaires ce jour-là : 10 h – 19 h")
    checked(page)
