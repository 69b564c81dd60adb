"""Accessories chosen at booking and checked at pick-up and return (issue 22 §2): the booking
form offers the box of the item or kit, ticked; what the structure keeps is what the desk
ticks at check-out; what left and does not come back is recorded and told to the team and to
the structure, each in its own message."""

from django.core import mail
from django.urls import reverse

import pytest

from core.errors import DomainError
from numeritheque import services
from numeritheque.models import BookingItem, Inspection, Kit
from tests.factories.accounts import numeritheque_manager
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db
BOX = "2 manettes\nCâble de charge USB-C\nHousse"


@pytest.fixture
def owner():
    return manager_of_structure(email="gestion@mediatheque.fr")


def form_data(structure, **extra):
    return {
        "structure": structure.pk,
        "start": days(3).isoformat(),
        "end": days(4).isoformat(),
        "purpose": "Atelier réalité virtuelle",
        **extra,
    }


def test_the_booking_form_offers_the_item_box_ticked_and_keeps_what_is_left_ticked(client, owner):
    user, structure = owner
    headset = ItemFactory(name="Casque Quest", accessories=BOX)
    client.force_login(user)
    page = client.get(reverse("numeritheque:booking_create"), {"materiel": headset.slug})
    html = page.content.decode()
    assert "Accessoires à emprunter" in html
    for accessory in ("2 manettes", "Câble de charge USB-C", "Housse"):
        assert f'value="{headset.pk}:{accessory}"' in html
    assert html.count("checked") >= 3
    response = client.post(
        reverse("numeritheque:booking_create"),
        form_data(
            structure,
            items=[headset.pk],
            accessoires_proposes=str(headset.pk),
            accessories=[f"{headset.pk}:2 manettes", f"{headset.pk}:Housse"],
        ),
    )
    assert response.status_code == 302
    assert BookingItem.objects.get().accessories == ["2 manettes", "Housse"]


def test_a_kit_offers_its_items_boxes_and_an_item_not_offered_comes_whole(client, owner):
    user, structure = owner
    first = ItemFactory(name="Tablette A", accessories="Chargeur\nCoque")
    second = ItemFactory(name="Tablette B", accessories="Chargeur")
    other = ItemFactory(name="Casque C", accessories="Housse")
    kit = Kit.objects.create(name="Valise de tablettes")
    kit.items.set([first, second])
    client.force_login(user)
    html = client.get(reverse("numeritheque:booking_create"), {"kit": kit.pk}).content.decode()
    assert f'value="{first.pk}:Coque"' in html and f'value="{second.pk}:Chargeur"' in html
    assert f'value="{other.pk}:Housse"' not in html
    offered = ",".join(str(pk) for pk in sorted([first.pk, second.pk]))
    response = client.post(
        reverse("numeritheque:booking_create"),
        form_data(
            structure,
            kit=kit.pk,
            items=[other.pk],
            places_confirmed="on",
            accessoires_proposes=offered,
            accessories=[f"{first.pk}:Chargeur"],
        ),
    )
    assert response.status_code == 302, response.content.decode()
    chosen = {link.item_id: link.accessories for link in BookingItem.objects.all()}
    assert chosen == {first.pk: ["Chargeur"], second.pk: [], other.pk: ["Housse"]}


def test_the_service_refuses_an_accessory_not_in_the_box(owner):
    user, structure = owner
    item = ItemFactory(accessories=BOX)
    with pytest.raises(DomainError) as refused:
        services.booking_request(
            requester=user,
            structure=structure,
            items=[item],
            start=days(2),
            end=days(3),
            purpose="Atelier",
            accessories={item.pk: ["Chargeur solaire"]},
        )
    assert refused.value.code == "unknown_accessory"
    assert "« Chargeur solaire » ne fait pas partie du contenu" in refused.value.message
    assert not BookingItem.objects.exists()


def test_the_desk_ticks_what_was_chosen_and_a_missing_accessory_is_recorded_and_told(
    client, owner, django_capture_on_commit_callbacks
):
    user, structure = owner
    item = ItemFactory(name="Casque Quest", accessories=BOX)
    booking = services.booking_request(
        requester=user,
        structure=structure,
        items=[item],
        start=days(0),
        end=days(1),
        purpose="Atelier",
        accessories={item.pk: ["2 manettes", "Housse"]},
    )
    team = numeritheque_manager()
    services.booking_approve(booking=booking, by=team)
    client.force_login(team)
    check_out = reverse("numeritheque_guichet:check_out", args=[booking.pk])
    html = client.get(check_out).content.decode()
    assert 'value="Casque Quest : 2 manettes"' in html
    assert 'value="Casque Quest : Housse"' in html
    assert "Câble de charge" not in html  # not chosen: not lent, not checked
    client.post(
        check_out,
        {
            "condition_notes": "Bon état",
            "accessories": ["Casque Quest : 2 manettes", "Casque Quest : Housse"],
        },
    )
    out = booking.inspections.get(kind=Inspection.Kind.CHECK_OUT)
    assert out.accessories_missing == []
    check_in = reverse("numeritheque_guichet:check_in", args=[booking.pk])
    assert 'value="Casque Quest : Housse"' in client.get(check_in).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            check_in, {"condition_notes": "RAS", "accessories": ["Casque Quest : 2 manettes"]}
        )
    assert response.status_code == 302
    back = booking.inspections.get(kind=Inspection.Kind.CHECK_IN)
    assert back.accessories_missing == ["Casque Quest : Housse"]
    missing = [m for m in mail.outbox if "accessoires manquants" in m.subject]
    assert sorted(tuple(m.to) for m in missing) == sorted(
        [(team.email,), ("gestion@mediatheque.fr",)]
    )
    for message in missing:
        raw = message.message().as_bytes().decode("utf-8", "replace")
        assert "Casque Quest : Housse" in message.body
        assert "Casque Quest : 2 manettes" not in message.body
        assert "Accessoires manquants au retour" in message.body
        assert raw.count("To: ") == 1
    detail = client.get(reverse("numeritheque_guichet:detail", args=[booking.pk]))
    assert "Accessoires manquants" in detail.content.decode()
    # The task run twice sends nothing more.
    services.booking_transition_notify(transition=booking.transitions.last())
    assert len([m for m in mail.outbox if "accessoires manquants" in m.subject]) == 2


def test_an_accessory_not_handed_over_at_pick_up_is_not_expected_back(
    owner, django_capture_on_commit_callbacks
):
    user, structure = owner
    item = ItemFactory(name="Casque Quest", accessories="Housse\nChargeur")
    booking = services.booking_request(
        requester=user, structure=structure, items=[item], start=days(0), end=days(1), purpose="x"
    )
    team = numeritheque_manager()
    services.booking_approve(booking=booking, by=team)
    services.booking_check_out(
        booking=booking, by=team, condition_notes="", accessories=["Casque Quest : Housse"]
    )
    out = booking.inspections.get(kind=Inspection.Kind.CHECK_OUT)
    assert out.accessories_missing == ["Casque Quest : Chargeur"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_check_in(
            booking=booking, by=team, condition_notes="", accessories=["Casque Quest : Housse"]
        )
    assert mail.outbox  # the return itself is told
    assert booking.inspections.get(kind=Inspection.Kind.CHECK_IN).accessories_missing == []
    assert not [m for m in mail.outbox if "accessoires manquants" in m.subject]
