import csv
import datetime
import io

from django.urls import reverse

import pytest

from numeritheque import services
from numeritheque.models import Booking, Item, ItemPhoto, Kit
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.directory import PlaceFactory
from tests.factories.numeritheque import (
    CategoryFactory,
    ItemFactory,
    days,
    make_image,
    manager_of_structure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return manager_of_structure(email="gestion@mediatheque.fr")


@pytest.fixture
def booking(owner):
    user, structure = owner
    return services.booking_request(
        requester=user,
        structure=structure,
        items=[ItemFactory()],
        start=days(0),
        end=days(1),
        purpose="Atelier",
    )


ROLES = {
    "anonyme": lambda: None,
    "mediateur": lambda: UserFactory(),
    "autre_structure": lambda: manager_of_structure()[0],
    "numeritheque": numeritheque_manager,
    "hub": hub_staff,
}


def as_role(client, role):
    user = ROLES[role]()
    if user:
        client.force_login(user)
    return user


def test_catalogue_is_public_with_filters(client):
    vr = CategoryFactory(name="Casques VR")
    printers = CategoryFactory(name="Imprimantes 3D")
    place = PlaceFactory(name="Tiers-lieu de Redon")
    free = ItemFactory(name="Casque libre", category=vr)
    busy = ItemFactory(name="Casque pris", category=vr, home_place=place)
    ItemFactory(name="Prusa MK4", category=printers)
    ItemFactory(name="Ancien casque", category=vr, state=Item.State.RETIRED)
    user, structure = manager_of_structure()
    services.booking_request(
        requester=user, structure=structure, items=[busy], start=days(7), end=days(8), purpose="x"
    )
    response = client.get(reverse("numeritheque:catalogue"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Casque libre" in content and "Prusa MK4" in content
    assert "Ancien casque" not in content
    content = client.get(
        reverse("numeritheque:catalogue"),
        {"category": vr.pk, "start": days(7).isoformat(), "end": days(7).isoformat()},
    ).content.decode()
    assert "Casque libre" in content and "Casque pris" not in content and "Prusa" not in content
    content = client.get(reverse("numeritheque:catalogue"), {"place": place.pk}).content.decode()
    assert "Casque pris" in content and "Casque libre" not in content
    assert free


def item_with_photo():
    item = ItemFactory()
    ItemPhoto.objects.create(item=item, image=make_image(), caption=f"Photo de {item.name}")
    return item


# Making renditions leaves a temporary file to the garbage collector (inside Willow/Pillow).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_catalogue_query_count_is_constant(client, django_assert_max_num_queries):
    url = reverse("numeritheque:catalogue")
    filters = {"start": days(1), "end": days(2)}
    for _ in range(3):
        item_with_photo()
    client.get(url, filters)  # renditions are made once, on the first view
    with django_assert_max_num_queries(12) as small:
        client.get(url, filters)
    small_count = len(small.captured_queries)
    for _ in range(8):
        item_with_photo()
    client.get(url, filters)
    with django_assert_max_num_queries(small_count):
        response = client.get(url, filters)
    content = response.content.decode()
    assert content.count('class="card"') == 11
    assert content.count('class="item-photo"') == 11


def test_item_page_shows_month_calendar_without_javascript(client, owner):
    item = ItemFactory(slug="casque-quest", category__buffer_days=0)
    user, structure = owner
    start = days(30).replace(day=10)
    services.booking_request(
        requester=user, structure=structure, items=[item], start=start, end=start, purpose="x"
    )
    url = reverse("numeritheque:item_detail", args=["casque-quest"])
    response = client.get(url, {"mois": start.strftime("%Y-%m")})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("day-reserve") == 1
    following = (start.replace(day=28) + datetime.timedelta(days=7)).strftime("%Y-%m")
    assert f'href="?mois={following}#disponibilites" rel="next"' in content
    assert client.get(url, {"mois": "n'importe quoi"}).status_code == 200


def test_structure_manager_books_an_item_or_a_kit(client, owner, mailoutbox):
    user, structure = owner
    item = ItemFactory()
    kit = Kit.objects.create(name="Valise VR")
    shelf = PlaceFactory()
    kit.items.set([ItemFactory(home_place=shelf), ItemFactory(home_place=shelf)])
    client.force_login(user)
    url = reverse("numeritheque:booking_create")
    assert client.get(url, {"materiel": item.slug}).status_code == 200
    data = {
        "structure": structure.pk,
        "start": days(2).isoformat(),
        "end": days(3).isoformat(),
        "purpose": "Atelier casques VR avec le collège",
        "public_served": "collégiens",
    }
    response = client.post(url, {**data, "items": [item.pk]})
    assert response.status_code == 302
    response = client.post(url, {**data, "kit": kit.pk})
    assert response.status_code == 302
    assert Booking.objects.count() == 2
    assert Booking.objects.filter(items__in=kit.items.all()).distinct().count() == 1
    content = client.get(reverse("portal:my_space")).content.decode()
    assert "Mes réservations de matériel" in content and "Demandée" in content


def test_booking_form_refusal_shows_french_message_and_changes_nothing(client, owner):
    user, structure = owner
    client.force_login(user)
    response = client.post(
        reverse("numeritheque:booking_create"),
        {
            "structure": structure.pk,
            "start": days(3).isoformat(),
            "end": days(1).isoformat(),
            "purpose": "x",
            "items": [ItemFactory().pk],
        },
    )
    assert response.status_code == 400
    assert "La date de retour doit être" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonyme", 302),
        ("mediateur", 403),
        ("autre_structure", 200),
        ("numeritheque", 403),
        ("hub", 403),
    ],
)
def test_booking_form_permissions(client, role, expected):
    as_role(client, role)
    response = client.get(reverse("numeritheque:booking_create"))
    assert response.status_code == expected
    if role == "anonyme":
        assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonyme", 302), ("mediateur", 404), ("autre_structure", 404)],
)
def test_cancel_permissions(client, booking, role, expected):
    as_role(client, role)
    response = client.post(reverse("numeritheque:booking_cancel", args=[booking.pk]))
    assert response.status_code == expected
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_owner_cancels_while_not_picked_up(client, owner, booking):
    client.force_login(owner[0])
    response = client.post(reverse("numeritheque:booking_cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    client.post(reverse("numeritheque:booking_cancel", args=[booking.pk]))
    assert booking.transitions.count() == 2


ADMIN_URLS = [
    ("numeritheque_guichet:index", False, "get"),
    ("numeritheque_guichet:detail", True, "get"),
    ("numeritheque_guichet:utilisation", False, "get"),
    ("numeritheque_guichet:export", False, "get"),
    ("numeritheque_guichet:check_out", True, "get"),
    ("numeritheque_guichet:check_in", True, "get"),
    ("numeritheque_guichet:approve", True, "post"),
    ("numeritheque_guichet:refuse", True, "post"),
]


@pytest.mark.parametrize(("name", "with_pk", "method"), ADMIN_URLS)
@pytest.mark.parametrize("role", ["anonyme", "mediateur", "autre_structure"])
def test_admin_desk_is_closed_to_others(client, booking, name, with_pk, method, role):
    as_role(client, role)
    url = reverse(name, args=[booking.pk] if with_pk else [])
    response = getattr(client, method)(url, {"reason": "Non"} if method == "post" else {})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(("/comptes/login/", "/admin/login/"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


@pytest.mark.parametrize("role", ["numeritheque", "hub"])
def test_team_uses_the_desk(client, booking, role):
    as_role(client, role)
    desk = client.get(reverse("numeritheque_guichet:index"))
    assert desk.status_code == 200
    assert f"Accepter la demande n° {booking.pk}" in desk.content.decode()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.post(reverse("numeritheque_guichet:approve", args=[booking.pk]))
    assert response.status_code == 302
    assert (
        f"Sortie de la réservation n° {booking.pk}"
        in client.get(reverse("numeritheque_guichet:index")).content.decode()
    )
    response = client.post(
        reverse("numeritheque_guichet:check_out", args=[booking.pk]),
        {"condition_notes": "Bon état", "accessories": [f"{booking.items.get().name} : Housse"]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("numeritheque_guichet:check_in", args=[booking.pk]),
        {"condition_notes": "Manette cassée", "damaged": "on"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.RETURNED
    assert booking.items.get().state == Item.State.MAINTENANCE
    assert booking.inspections.get(kind="sortie").accessories_checked
    assert client.get(reverse("numeritheque_guichet:utilisation")).status_code == 200
    history = client.get(reverse("numeritheque_guichet:detail", args=[booking.pk]))
    assert "Manette cassée" in history.content.decode()
    for viewset_url in [
        "/admin/numeritheque/materiel/",
        "/admin/numeritheque/reservations/",
        "/admin/numeritheque/categories/",
        f"/admin/numeritheque/reservations/inspect/{booking.pk}/",
    ]:
        assert client.get(viewset_url).status_code == 200, viewset_url


def test_desk_refuses_illegal_transition_with_message(client, booking):
    as_role(client, "numeritheque")
    response = client.post(reverse("numeritheque_guichet:check_in", args=[booking.pk]), {})
    assert response.status_code == 400
    assert "Impossible de passer" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_refuse_with_reason_and_csv_export(client, booking):
    as_role(client, "numeritheque")
    client.post(
        reverse("numeritheque_guichet:refuse", args=[booking.pk]), {"reason": "Indisponible"}
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REFUSED
    assert booking.transitions.last().note == "Indisponible"
    response = client.get(reverse("numeritheque_guichet:export"))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "réservation"
    assert rows[1][1] == "Refusée"
    assert rows[1][3] == "gestion@mediatheque.fr"
