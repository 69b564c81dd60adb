"""Availability first (issue 22 §2): what is free from … to … near …, items and kits with
their pick-up places and distances; dates chosen on the calendar itself, without JavaScript;
kits with their own page and calendar; preparation days between loans respected."""

import pytest

from numeritheque import selectors, services
from numeritheque.models import Kit
from tests.factories.directory import PlaceFactory
from tests.factories.numeritheque import (
    CategoryFactory,
    ItemFactory,
    days,
    manager_of_structure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rennes_and_brest():
    rennes = PlaceFactory(name="Espace numérique de Villejean", commune="Rennes")
    brest = PlaceFactory(
        name="Médiathèque des Capucins",
        commune="Brest",
        postcode="29200",
        latitude=48.3904,
        longitude=-4.4861,
    )
    return rennes, brest


def book(item, start, end):
    user, structure = manager_of_structure()
    return services.booking_request(
        requester=user, structure=structure, items=[item], start=start, end=end, purpose="Atelier"
    )


def test_preparation_days_after_a_loan_are_not_free():
    item = ItemFactory(category=CategoryFactory(buffer_days=2))
    book(item, days(3), days(5))
    for start in (days(5), days(6), days(7)):  # the loan, then two preparation days
        assert not selectors.items_are_free(items=[item], start=start, end=start)
    assert selectors.items_are_free(items=[item], start=days(8), end=days(9))
    # A loan ending just before the booked one still needs its own preparation days.
    assert not selectors.items_are_free(items=[item], start=days(1), end=days(2))
    assert selectors.items_are_free(items=[item], start=days(0), end=days(0))


def test_what_is_free_near_a_commune_lists_items_and_kits_nearest_first(
    client, communes, rennes_and_brest
):
    rennes, brest = rennes_and_brest
    near_tablet = ItemFactory(name="Tablette de Rennes", home_place=rennes)
    far_tablet = ItemFactory(name="Tablette de Brest", home_place=brest)
    booked = ItemFactory(name="Tablette réservée", home_place=rennes)
    book(booked, days(8), days(9))
    kit = Kit.objects.create(name="Valise de tablettes")
    kit.items.set([near_tablet])
    busy_kit = Kit.objects.create(name="Valise occupée")
    busy_kit.items.set([booked])
    response = client.get(
        "/numeritheque/",
        {"start": days(7).isoformat(), "end": days(9).isoformat(), "near": "Rennes", "radius": 30},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tablette de Rennes" in html
    assert "Tablette réservée" not in html  # its loan overlaps
    assert "Tablette de Brest" not in html  # 240 km away
    assert "Valise de tablettes" in html and "Valise occupée" not in html
    assert "à 0 km" in html
    assert f"?du={days(7).isoformat()}&amp;au={days(9).isoformat()}" in html
    saint_malo = PlaceFactory(commune="Saint-Malo", latitude=48.6493, longitude=-2.0257)
    ItemFactory(name="Tablette de Saint-Malo", home_place=saint_malo)
    wide = client.get(
        "/numeritheque/",
        {"start": days(7).isoformat(), "end": days(9).isoformat(), "near": "35000", "radius": 150},
    ).content.decode()
    assert wide.index("Tablette de Rennes") < wide.index("Tablette de Saint-Malo")
    assert far_tablet.name not in wide


def test_an_unknown_commune_is_a_french_error(client, communes):
    response = client.get("/numeritheque/", {"near": "Zzyzx"})
    assert "Commune inconnue : « Zzyzx »" in response.content.decode()


def test_dates_are_chosen_on_the_calendar_by_following_links(client):
    item = ItemFactory(name="Imprimante 3D")
    url = f"/numeritheque/materiel/{item.slug}/"
    first = client.get(url, {"mois": days(3).strftime("%Y-%m")}).content.decode()
    pick_up = f"?mois={days(3):%Y-%m}&amp;du={days(3).isoformat()}#disponibilites"
    assert pick_up in first
    assert "comme jour de retrait" in first
    second = client.get(url, {"du": days(3).isoformat()}).content.decode()
    assert "choisissez maintenant le jour du retour" in second
    assert f"du={days(3).isoformat()}&amp;au={days(4).isoformat()}" in second or (
        days(4).month != days(3).month
    )
    chosen = client.get(url, {"du": days(3).isoformat(), "au": days(5).isoformat()})
    html = chosen.content.decode()
    assert "Réserver ces dates" in html
    assert (
        f"/numeritheque/reserver/?materiel={item.slug}&amp;start={days(3).isoformat()}"
        f"&amp;end={days(5).isoformat()}"
    ) in html


def test_chosen_dates_that_are_not_free_say_so(client):
    item = ItemFactory()
    book(item, days(4), days(4))
    html = client.get(
        f"/numeritheque/materiel/{item.slug}/",
        {"du": days(2).isoformat(), "au": days(6).isoformat()},
    ).content.decode()
    assert "pas libre tout du long" in html
    assert "Réserver ces dates" not in html


def test_a_kit_has_its_page_with_its_pick_up_places_and_one_calendar(client, rennes_and_brest):
    rennes, brest = rennes_and_brest
    first, second = ItemFactory(home_place=rennes), ItemFactory(home_place=brest)
    kit = Kit.objects.create(name="Kit robotique")
    kit.items.set([first, second])
    book(second, days(3), days(3))
    month = days(3).strftime("%Y-%m")
    html = client.get(f"/numeritheque/kits/{kit.pk}/", {"mois": month}).content.decode()
    assert "Kit robotique" in html
    assert "Ce kit se retire en 2 lieux différents." in html
    assert "Médiathèque des Capucins" in html and "Espace numérique de Villejean" in html
    # The day one item is booked is not free for the kit.
    assert f"du={days(3).isoformat()}" not in html
    chosen = client.get(
        f"/numeritheque/kits/{kit.pk}/", {"du": days(6).isoformat(), "au": days(7).isoformat()}
    ).content.decode()
    assert f"/numeritheque/reserver/?kit={kit.pk}&amp;start={days(6).isoformat()}" in chosen


def test_the_calendar_fits_a_phone_without_sideways_scroll(client):
    item = ItemFactory()
    html = client.get(f"/numeritheque/materiel/{item.slug}/").content.decode()
    table = html[html.index('<table class="availability">') - 40 :]
    assert "table-scroll" not in table[:40]
    assert '<abbr title="dimanche">' in html


def test_a_person_without_a_structure_is_told_why_and_what_to_do(client):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory())
    response = client.get("/numeritheque/reserver/", {"materiel": ItemFactory().slug})
    html = response.content.decode()
    assert response.status_code == 403
    assert "La réservation est réservée aux gestionnaires de structure." in html
    assert "Que faire ?" in html
    assert "Rattacher mon compte à ma structure" in html
    assert "/annuaire/ma-structure/" in html
