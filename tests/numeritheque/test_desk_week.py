"""The numérithèque desk's week: a loan handed over before its pick-up day, the « retraits à
venir » and « sorti » lists, the training question at booking, one error message at a time,
and a menu that offers only what each role can open."""

import json
import re

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from core.errors import DomainError
from numeritheque import services
from numeritheque.models import Booking, BookingItem
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return manager_of_structure(email="gestion@mediatheque.fr")


@pytest.fixture
def team():
    return numeritheque_manager(email="pret@hub.fr")


def accepted(owner, team, *, start, end, item=None, **extra):
    user, structure = owner
    booking = services.booking_request(
        requester=user,
        structure=structure,
        items=[item or ItemFactory()],
        start=start,
        end=end,
        purpose="Atelier",
        **extra,
    )
    return services.booking_approve(booking=booking, by=team)


def check_out(booking, team):
    return services.booking_check_out(booking=booking, by=team, condition_notes="Bon état")


def test_a_sunday_pick_up_is_handed_over_on_friday_and_holds_its_items_from_then(
    owner, team, settings
):
    settings.MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE = 2
    item = ItemFactory()
    booking = accepted(owner, team, start=days(2), end=days(3), item=item)
    check_out(booking, team)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.OUT
    assert BookingItem.objects.get(booking=booking).blocked_start == days(0)
    # The item is out: nobody can book it for the days before the planned pick-up.
    with pytest.raises(DomainError) as error:
        accepted(owner, team, start=days(0), end=days(0), item=item)
    assert error.value.code == "overlap"


def test_check_out_is_refused_before_the_window_in_french(owner, team, settings):
    settings.MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE = 1
    booking = accepted(owner, team, start=days(2), end=days(3))
    with pytest.raises(DomainError) as error:
        check_out(booking, team)
    assert error.value.code == "too_early"
    assert f"la sortie est possible à partir du {days(1):%d/%m/%Y}" in error.value.message
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ACCEPTED
    assert BookingItem.objects.get(booking=booking).blocked_start == days(2)


def test_an_item_still_lent_to_someone_else_cannot_leave_early(owner, team, settings):
    settings.MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE = 3
    item = ItemFactory(category__buffer_days=0)
    accepted(owner, team, start=days(0), end=days(0), item=item)
    later = accepted(owner, team, start=days(2), end=days(3), item=item)
    with pytest.raises(DomainError) as error:
        check_out(later, team)
    assert error.value.code == "held_before"
    assert "ne peut sortir qu'à partir" in error.value.message
    later.refresh_from_db()
    assert later.status == Booking.Status.ACCEPTED


def test_the_desk_lists_upcoming_pick_ups_and_what_is_out(client, owner, team, settings):
    settings.MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE = 1
    soon = accepted(owner, team, start=days(1), end=days(2))
    later = accepted(owner, team, start=days(4), end=days(5))
    accepted(owner, team, start=days(20), end=days(21))  # beyond the week: not listed
    out = accepted(owner, team, start=days(0), end=days(6))
    check_out(out, team)
    due_today = accepted(owner, team, start=days(0), end=days(0))
    check_out(due_today, team)
    client.force_login(team)
    soup = BeautifulSoup(client.get(reverse("numeritheque_guichet:index")).content, "html.parser")

    def section(title) -> tuple[set[int], str]:
        listing = soup.find("h2", string=re.compile(title)).find_next_sibling("ul")
        shown = {
            int(link["href"].rstrip("/").rsplit("/", 1)[-1])
            for link in listing.select("a[href*='/reservations/']")
            if link["href"].rstrip("/").rsplit("/", 1)[-1].isdigit()
        }
        return shown, listing.get_text(" ", strip=True)

    upcoming, text = section("Retraits à venir")
    assert upcoming == {soon.pk, later.pk}
    assert f"Sortie anticipée de la réservation n° {soon.pk}" in text
    assert f"Sortie anticipée de la réservation n° {later.pk}" not in text
    assert "sortie possible à partir du" in text
    current, text = section("^Sorti$")
    assert current == {out.pk} and "retour prévu le" in text
    returns, _ = section("Retours du jour")
    assert returns == {due_today.pk}, "a loan due back today is listed once, not also as « Sorti »"


def test_an_item_that_needs_training_asks_for_it_at_booking(client, owner):
    user, structure = owner
    printer = ItemFactory(name="Imprimante 3D Prusa", needs_training=True)
    client.force_login(user)
    url = reverse("numeritheque:booking_create")
    form = client.get(url, {"materiel": printer.slug}).content.decode()
    assert "Formation préalable de la personne qui utilisera le matériel" in form
    plain = client.get(url, {"materiel": ItemFactory().slug}).content.decode()
    assert "Formation préalable de la personne" not in plain
    data = {
        "structure": structure.pk,
        "start": days(2).isoformat(),
        "end": days(3).isoformat(),
        "purpose": "Fablab",
        "items": [printer.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert refused.content.decode().count("demande une formation préalable") == 1
    assert not Booking.objects.exists()
    response = client.post(url, {**data, "training": "Session du Hub du 3 mars"})
    assert response.status_code == 302
    assert Booking.objects.get().training == "Session du Hub du 3 mars"


def test_the_service_enforces_the_training_rule_whoever_calls_it(owner):
    user, structure = owner
    printer = ItemFactory(name="Imprimante 3D Prusa", needs_training=True)
    with pytest.raises(DomainError) as error:
        services.booking_request(
            requester=user,
            structure=structure,
            items=[printer, ItemFactory()],
            start=days(2),
            end=days(3),
            purpose="Fablab",
            training="  ",
        )
    assert error.value.code == "training_required"
    assert "« Imprimante 3D Prusa » demande une formation préalable" in error.value.message
    assert not Booking.objects.exists()


def test_an_overlap_is_said_once(client, owner, team):
    user, structure = owner
    item = ItemFactory(category__buffer_days=2)
    accepted(owner, team, start=days(2), end=days(3), item=item)
    client.force_login(user)
    response = client.post(
        reverse("numeritheque:booking_create"),
        {
            "structure": structure.pk,
            "start": days(3).isoformat(),
            "end": days(4).isoformat(),
            "purpose": "Atelier",
            "items": [item.pk],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("est déjà réservé sur ces dates") == 1
    assert "délai de préparation de 2 jours compris" in html


def sidebar_urls(html: str) -> list[str]:
    """Every link of the Wagtail admin's menu (its sidebar is drawn from a JSON island)."""
    soup = BeautifulSoup(html, "html.parser")
    props = soup.find(id="wagtail-sidebar-props")
    urls = re.findall(r'"url": "(/admin/[^"]*)"', json.dumps(json.loads(props.string)))
    return sorted(set(urls))


@pytest.mark.parametrize("make_user", [numeritheque_manager, hub_staff], ids=["equipe", "hub"])
def test_the_admin_menu_offers_only_links_the_role_can_open(client, make_user):
    client.force_login(make_user())
    urls = sidebar_urls(client.get(reverse("wagtailadmin_home")).content.decode())
    assert urls
    closed = []
    for url in urls:
        # A refused admin user reads the portal's 403, or Wagtail sends them to the admin
        # home or to the login page; a settings link goes on to its site's own page.
        response = client.get(url, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        if response.status_code != 200 or final in ("/admin/", reverse("wagtailadmin_login")):
            closed.append(f"{url} → {response.status_code} {final}")
    assert not closed, closed


@pytest.mark.parametrize(
    "make_user",
    [
        UserFactory,
        lambda: manager_of_structure()[0],
        numeritheque_manager,
        hub_staff,
    ],
    ids=["mediation", "structure", "equipe", "hub"],
)
def test_mon_espace_offers_only_links_the_role_can_open(client, make_user):
    """Each role's own menu on the site: every link of Mon espace opens for that role."""
    client.force_login(make_user())
    soup = BeautifulSoup(client.get(reverse("portal:my_space")).content, "html.parser")
    urls = {
        link["href"].split("#")[0]
        for link in soup.select("#contenu a[href^='/']")
        if not link.get("download") and not link["href"].startswith("/media/")
    }
    assert urls
    closed = []
    for url in sorted(urls):
        response = client.get(url, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        # Refused is what matters (a page the test world has no content for may be 404).
        if response.status_code == 403 or "/comptes/login/" in final:
            closed.append(f"{url} → {response.status_code} {final}")
    assert not closed, closed
