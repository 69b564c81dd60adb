"""Bookings people can act on (issue 22 §4): each item's pick-up place, address, opening hours
and dates in every email (checked as bytes) and in Mon espace; several pick-up places said
before confirmation; the requester and the team in separate messages; cancelling asks first
and tells the team."""

from django.core import mail

import pytest

from numeritheque import services
from numeritheque.models import Booking, Kit
from tests.factories.accounts import numeritheque_manager
from tests.factories.directory import PlaceFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return numeritheque_manager(email="pret@hub.fr")


@pytest.fixture
def brest():
    return PlaceFactory(
        name="Médiathèque des Capucins",
        address="25 rue de Pontaniou",
        postcode="29200",
        commune="Brest",
        opening_hours="Mo-Sa 10:00-18:00",
    )


@pytest.fixture
def lannion():
    return PlaceFactory(
        name="Espace numérique de Lannion",
        address="2 quai d'Aiguillon",
        postcode="22300",
        commune="Lannion",
        opening_hours="Mo-Fr 09:00-12:00",
    )


def next_weekday(offset: int):
    """A day at least `offset` days ahead that is a Monday to Friday."""
    day = days(offset)
    while day.weekday() >= 5:
        day = day.fromordinal(day.toordinal() + 1)
    return day


def test_request_emails_give_each_pick_up_place_and_go_to_requester_and_team_apart(
    team, brest, lannion, django_capture_on_commit_callbacks
):
    user, structure = manager_of_structure(email="direction@ccas.fr")
    start = next_weekday(5)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_request(
            requester=user,
            structure=structure,
            items=[
                ItemFactory(name="Tablette A", home_place=brest),
                ItemFactory(home_place=lannion),
            ],
            start=start,
            end=start,
            purpose="Atelier",
        )
    assert [message.to for message in mail.outbox] == [["direction@ccas.fr"], ["pret@hub.fr"]]
    requester_mail, team_mail = (message.message().as_bytes() for message in mail.outbox)
    text = mail.outbox[0].body
    assert "Médiathèque des Capucins" in text and "25 rue de Pontaniou, 29200 Brest" in text
    assert "horaires ce jour-là : 10 h – 18 h" in text
    assert "horaires ce jour-là : 9 h – 12 h" in text
    assert "Le matériel se retire en 2 lieux différents." in text
    assert b"pret@hub.fr" not in requester_mail
    assert b"direction@ccas.fr" not in team_mail.split(b"\n\n", 1)[0]  # not a recipient
    assert "nouvelle demande" in mail.outbox[1].subject
    assert f"/admin/numeritheque/reservations/{booking.pk}/" in mail.outbox[1].body
    assert "/mon-espace/" in text


def test_my_space_shows_where_and_when_to_pick_up(client, brest):
    user, structure = manager_of_structure()
    start = next_weekday(4)
    services.booking_request(
        requester=user,
        structure=structure,
        items=[ItemFactory(name="Casque VR", home_place=brest)],
        start=start,
        end=start,
        purpose="Atelier",
    )
    client.force_login(user)
    html = client.get("/mon-espace/").content.decode()
    assert "Médiathèque des Capucins" in html
    assert "25 rue de Pontaniou, 29200 Brest" in html
    assert "horaires ce jour-là : 10 h – 18 h" in html


def test_several_pick_up_places_are_said_before_the_request_is_sent(client, brest, lannion):
    user, structure = manager_of_structure()
    kit = Kit.objects.create(name="Kit robotique")
    kit.items.set([ItemFactory(home_place=brest), ItemFactory(home_place=lannion)])
    client.force_login(user)
    data = {
        "structure": structure.pk,
        "start": days(3).isoformat(),
        "end": days(4).isoformat(),
        "kit": kit.pk,
        "purpose": "Atelier",
    }
    response = client.post("/numeritheque/reserver/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ce matériel se retire dans 2 lieux différents" in html
    assert "Espace numérique de Lannion (Lannion)" in html
    assert "J&#x27;ai noté que ce matériel se retire dans plusieurs lieux." in html
    assert not Booking.objects.exists()
    confirmed = client.post("/numeritheque/reserver/", {**data, "places_confirmed": "on"})
    assert confirmed.status_code == 302
    assert Booking.objects.count() == 1


def test_one_pick_up_place_asks_no_extra_confirmation(client, brest):
    user, structure = manager_of_structure()
    client.force_login(user)
    html = client.get(
        "/numeritheque/reserver/", {"materiel": ItemFactory(home_place=brest).slug}
    ).content.decode()
    assert "plusieurs lieux" not in html


def test_cancelling_asks_for_confirmation_then_tells_the_team(
    client, team, brest, django_capture_on_commit_callbacks
):
    user, structure = manager_of_structure(email="direction@ccas.fr")
    booking = services.booking_request(
        requester=user,
        structure=structure,
        items=[ItemFactory(home_place=brest)],
        start=days(5),
        end=days(6),
        purpose="Atelier",
    )
    client.force_login(user)
    url = f"/numeritheque/reservations/{booking.pk}/annuler/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Oui, annuler la réservation" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED  # a GET cancels nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert sorted(message.to[0] for message in mail.outbox) == ["direction@ccas.fr", "pret@hub.fr"]
    team_message = next(message for message in mail.outbox if message.to == ["pret@hub.fr"])
    assert "annulée par" in team_message.subject
    assert "n'est pas à préparer" in team_message.body
    team_message.message().as_bytes()
