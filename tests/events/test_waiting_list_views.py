"""The waiting list of a training as people use it (issue 20 §5): joining from the page, Mon
espace showing the position and the offer, the session page saying how many wait, the offer's
page answering « je prends / je laisse » by POST only, and bad input (forged or expired links,
an offer taken in two tabs, a group larger than the seats) answered in French with nothing
changed."""

import datetime

from django.utils import timezone

import pytest
import time_machine

from events import services
from events.models import Registration, SeatOffer, WaitingListEntry
from events.offer_links import seat_offer_token
from tests.factories.accounts import UserFactory
from tests.factories.directory import OrganisationFactory, StructureMembershipFactory
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


def full_session(capacity=1):
    session = SessionFactory(capacity=capacity)
    holders = [
        services.registration_create(session=session, user=UserFactory()) for _ in range(capacity)
    ]
    return session, holders


def offered(session, holder, user):
    """`user` waits on the session's page, and `holder` frees the seat: the offer."""
    entry = services.waiting_list_join(page=session.page, user=user)
    services.registration_cancel(registration=holder, by=holder.user)
    return entry.offers.get(status=SeatOffer.Status.PENDING)


def offer_path(offer) -> str:
    return f"/agenda/propositions/{seat_offer_token(offer)}/"


def state() -> tuple:
    return (
        list(Registration.objects.order_by("pk").values_list("pk", "status")),
        list(SeatOffer.objects.order_by("pk").values_list("pk", "status")),
    )


def test_joining_from_the_page_then_mon_espace_shows_the_position(client):
    session, _holders = full_session()
    first = UserFactory()
    services.waiting_list_join(page=session.page, user=first)
    user = UserFactory()
    client.force_login(user)
    page = client.get(f"/agenda/liste-attente/{session.page_id}/")
    assert page.status_code == 200
    assert "Rejoindre la liste d'attente" in page.content.decode()
    response = client.post(
        f"/agenda/liste-attente/{session.page_id}/", {"pour": "moi", "sessions": [session.pk]}
    )
    assert response.status_code == 302 and response["Location"].endswith("#listes-attente")
    text = client.get("/mon-espace/").content.decode()
    assert "Mes listes d'attente" in text
    assert "2e position" in text


def test_joining_while_seats_are_left_is_a_french_refusal(client):
    session = SessionFactory(capacity=5)
    client.force_login(UserFactory())
    response = client.post(f"/agenda/liste-attente/{session.page_id}/", {"pour": "moi"})
    assert response.status_code == 409
    assert "inscrivez-vous directement" in response.content.decode()
    assert not WaitingListEntry.objects.exists()


def test_the_session_page_says_how_many_wait(client):
    session, _holders = full_session()
    services.registration_create(session=session, user=UserFactory())
    services.waiting_list_join(page=session.page, user=UserFactory())
    text = client.get(f"/agenda/sessions/{session.pk}/").content.decode()
    assert "2 personnes attendent une place sur cette session." in text
    assert f"/agenda/liste-attente/{session.page_id}/" in text


def test_the_offer_page_changes_nothing_on_get_and_takes_the_seat_on_post(client):
    session, (holder,) = full_session()
    user = UserFactory()
    offer = offered(session, holder, user)
    client.force_login(user)
    before = state()
    response = client.get(offer_path(offer) + "?choix=prendre")
    assert response.status_code == 200
    assert "Une place vous est réservée" in response.content.decode()
    assert state() == before
    mon_espace = client.get("/mon-espace/").content.decode()
    assert "Une place vous est réservée" in mon_espace and offer_path(offer) in mon_espace
    response = client.post(offer_path(offer), {"choix": "prendre"})
    assert response.status_code == 302
    assert session.registrations.get(user=user).status == "confirmed"
    # The second tab.
    before = state()
    response = client.post(offer_path(offer), {"choix": "prendre"})
    assert response.status_code == 409
    assert "Vous avez déjà pris cette place" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    "token", ["1.abcdefghijklmnopqrstuvwxyz0", "pas-une-proposition", "1", "%00"]
)
def test_forged_offer_links_are_a_french_page_and_change_nothing(client, token):
    session, (holder,) = full_session()
    user = UserFactory()
    offered(session, holder, user)
    client.force_login(user)
    before = state()
    for method in ("get", "post"):
        response = getattr(client, method)(f"/agenda/propositions/{token}/", {"choix": "prendre"})
        assert response.status_code == 404
        assert "Proposition introuvable" in response.content.decode()
    assert state() == before


def test_an_expired_link_is_a_french_message_and_the_seat_has_passed_on(client, settings):
    settings.MAILLAGE_OFFER_HOLD_HOURS = 1
    session, (holder,) = full_session()
    user, next_one = UserFactory(), UserFactory()
    offer = offered(session, holder, user)
    services.waiting_list_join(page=session.page, user=next_one)
    client.force_login(user)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        response = client.post(offer_path(offer), {"choix": "prendre"})
    assert response.status_code == 409
    assert "Le délai pour répondre est passé" in response.content.decode()
    assert not session.registrations.filter(user=user).exists()
    assert SeatOffer.objects.get(pk=offer.pk).status == SeatOffer.Status.EXPIRED
    assert SeatOffer.objects.filter(entry__requester=next_one, status="pending").exists()


def test_leaving_the_seat_by_the_link(client):
    session, (holder,) = full_session()
    user = UserFactory()
    offer = offered(session, holder, user)
    client.force_login(user)
    assert client.post(offer_path(offer), {"choix": "laisser"}).status_code == 302
    assert SeatOffer.objects.get(pk=offer.pk).status == SeatOffer.Status.DECLINED


def group(size: int):
    organisation = OrganisationFactory()
    managers = UserFactory.create_batch(2)
    for manager in managers:
        StructureMembershipFactory(user=manager, organisation=organisation, is_manager=True)
    members = UserFactory.create_batch(size)
    for member in members:
        StructureMembershipFactory(user=member, organisation=organisation, is_manager=False)
    return organisation, managers, members


def test_a_group_offer_is_for_the_structure_s_managers_only(client):
    session, holders = full_session(capacity=2)
    organisation, (manager, co_manager), members = group(2)
    entry = services.waiting_list_join_group(
        page=session.page,
        requester=manager,
        organisation=organisation,
        people=members,
        all_or_nothing=True,
    )
    for holder in holders:
        services.registration_cancel(registration=holder, by=holder.user)
    offer = entry.offers.get(status="pending")
    other_manager = UserFactory()
    StructureMembershipFactory(user=other_manager, organisation=OrganisationFactory())
    for user, status in ((co_manager, 200), (members[0], 404), (other_manager, 404)):
        client.force_login(user)
        assert client.get(offer_path(offer)).status_code == status


def test_a_group_larger_than_the_seats_is_refused_in_french_and_nothing_changes(client):
    session = SessionFactory(capacity=2)
    organisation, (manager, _co), members = group(3)
    client.force_login(manager)
    page = client.get(f"/agenda/sessions/{session.pk}/groupe/")
    assert page.status_code == 200
    response = client.post(
        f"/agenda/sessions/{session.pk}/groupe/",
        {
            "groupe-organisation": organisation.pk,
            "groupe-people": [member.pk for member in members],
            "groupe-mode": "ensemble",
        },
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "il ne reste que 2 places" in text
    assert (
        "liste d&#x27;attente de la formation" in text or "liste d'attente de la formation" in text
    )
    assert not session.registrations.exists()


def test_pages_make_a_constant_number_of_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    sessions = []
    for _ in range(3):
        session, (holder,) = full_session()
        services.waiting_list_join(page=session.page, user=user)
        sessions.append((session, holder))
    first, holder = sessions[0]
    services.registration_cancel(registration=holder, by=holder.user)
    client.force_login(user)
    with django_assert_max_num_queries(40):
        assert client.get("/mon-espace/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/agenda/sessions/{first.pk}/").status_code == 200


def test_staff_see_the_training_waiting_list_and_held_seats_on_the_session_desk(
    client, django_assert_max_num_queries
):
    from tests.factories.accounts import hub_staff

    session, (holder,) = full_session()
    services.waiting_list_join(page=session.page, user=UserFactory(first_name="Soazig"))
    organisation, (manager, _co), members = group(2)
    services.waiting_list_join_group(
        page=session.page,
        requester=manager,
        organisation=organisation,
        people=members,
        all_or_nothing=False,
    )
    services.registration_cancel(registration=holder, by=holder.user)
    client.force_login(hub_staff())
    with django_assert_max_num_queries(60):
        response = client.get(f"/admin/agenda/sessions/manage/{session.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "Liste d&#x27;attente de la formation" in text or "Liste d'attente de la formation" in text
    )
    assert "1 place est réservée en ce moment." in text
    assert organisation.name in text and "2 personnes" in text and "Soazig" in text
