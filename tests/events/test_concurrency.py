"""The capacity guarantee under real concurrency, on PostgreSQL: first the race shown with the
lock switched off (so this test can fail), then never an oversell with it on."""

import threading

from django.conf import settings
from django.db import connection

import pytest

from core.errors import DomainError
from events import services
from events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

pytestmark = [
    pytest.mark.postgres,
    # Skipped at collection on SQLite: setting up the transactional database only to skip
    # would flush it and leave the next browser test without its home page.
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="Garantie vérifiée sur PostgreSQL (DATABASE_URL).",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.xdist_group("postgres-threads"),
]

THREADS = 50


def register_concurrently(session, users) -> list:
    """Every user registers at the same instant, each thread with its own connection."""
    barrier = threading.Barrier(len(users))
    errors = []

    def worker(user):
        try:
            barrier.wait()
            services.registration_create(session=session, user=user)
        except DomainError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def confirmed(session) -> int:
    return Registration.objects.filter(session=session, status="confirmed").count()


def test_without_the_lock_concurrent_registrations_oversell(postgres_only, settings):
    settings.MAILLAGE_ROW_LOCKS = False
    oversold = False
    for _attempt in range(3):
        session = SessionFactory(capacity=1)
        register_concurrently(session, UserFactory.create_batch(THREADS))
        if confirmed(session) > 1:
            oversold = True
            break
    assert oversold, "la course n'a pas été reproduite : le test ne prouverait rien"


def test_with_the_lock_confirmed_never_exceed_capacity(postgres_only):
    session = SessionFactory(capacity=5)
    users = UserFactory.create_batch(THREADS)
    errors = register_concurrently(session, users)
    assert errors == []
    assert confirmed(session) == 5
    waitlisted = list(
        Registration.objects.filter(session=session, status="waitlisted").order_by(
            "waitlisted_at", "pk"
        )
    )
    assert len(waitlisted) == THREADS - 5
    assert [r.waitlist_position for r in waitlisted] == list(range(1, THREADS - 4))


def test_with_the_lock_full_session_without_waiting_list_refuses_the_rest(postgres_only):
    session = SessionFactory(capacity=3, waiting_list_enabled=False)
    errors = register_concurrently(session, UserFactory.create_batch(THREADS))
    assert confirmed(session) == 3
    assert errors == ["full"] * (THREADS - 3)


# --- the waiting list of a page: offers held, groups, ordinary registrations -------------


def race(actions) -> list:
    """Run every action at the same instant, each thread with its own connection; returns
    "ok" or the DomainError code of each, in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def worker(index, action):
        try:
            barrier.wait()
            action()
            results[index] = "ok"
        except DomainError as error:
            results[index] = error.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(index, action))
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def group_of(size):
    """A structure with its manager and `size` members (not managers)."""
    from tests.factories.directory import OrganisationFactory, StructureMembershipFactory

    organisation = OrganisationFactory()
    manager = UserFactory()
    StructureMembershipFactory(user=manager, organisation=organisation, is_manager=True)
    members = UserFactory.create_batch(size)
    for member in members:
        StructureMembershipFactory(user=member, organisation=organisation, is_manager=False)
    return organisation, manager, members


CAPACITY = 6


def last_seats_scene():
    """A session of 6 seats: 3 confirmed, 2 held by a pending offer to a group of the page's
    waiting list, 1 free; and the actions that race for them: the group takes its offer, a
    holder cancels (the seat goes to the queue), three other groups register (split), and
    ordinary registrations."""
    from events.models import SeatOffer

    session = SessionFactory(capacity=CAPACITY)
    holders = [
        services.registration_create(session=session, user=user)
        for user in UserFactory.create_batch(CAPACITY)
    ]
    organisation, manager, members = group_of(2)
    entry = services.waiting_list_join_group(
        page=session.page,
        requester=manager,
        organisation=organisation,
        people=members,
        all_or_nothing=True,
    )
    for holder in holders[:3]:
        services.registration_cancel(registration=holder, by=holder.user)
    offer = SeatOffer.objects.get(entry=entry, status="pending")
    assert offer.seats == 2
    actions = [lambda: services.seat_offer_accept(offer=offer, by=manager)]
    actions.append(
        lambda: services.registration_cancel(registration=holders[3], by=holders[3].user)
    )
    for _ in range(3):
        other, other_manager, other_members = group_of(2)
        actions.append(
            lambda o=other, m=other_manager, p=other_members: services.registration_create_group(
                session=session, requester=m, organisation=o, people=p, all_or_nothing=False
            )
        )
    for user in UserFactory.create_batch(THREADS - len(actions)):
        actions.append(lambda u=user: services.registration_create(session=session, user=u))
    return session, actions


def seats_taken(session) -> tuple[int, int]:
    from events.models import SeatOffer

    held = sum(
        SeatOffer.objects.filter(session=session, status="pending").values_list("seats", flat=True)
    )
    return confirmed(session), held


def test_without_the_lock_offers_groups_and_registrations_oversell(postgres_only, settings):
    oversold = False
    for _attempt in range(3):
        settings.MAILLAGE_ROW_LOCKS = True
        session, actions = last_seats_scene()
        settings.MAILLAGE_ROW_LOCKS = False
        race(actions)
        taken, held = seats_taken(session)
        if taken + held > CAPACITY:
            oversold = True
            break
    assert oversold, "la course n'a pas été reproduite : le test ne prouverait rien"


def test_with_the_lock_offers_groups_and_registrations_never_oversell(postgres_only):
    session, actions = last_seats_scene()
    results = race(actions)
    assert results[0] == "ok", "the held seats are the group's whatever the race"
    assert results[1] == "ok"
    assert set(results[2:]) == {"ok"}
    taken, held = seats_taken(session)
    assert taken <= CAPACITY and taken + held == CAPACITY
    waitlisted = Registration.objects.filter(session=session, status="waitlisted").count()
    # Everyone has a registration, confirmed or on the session's waiting list: the two holders
    # left, the group of the offer, the three groups of two and the ordinary registrations.
    assert taken + waitlisted == 2 + 2 + 3 * 2 + (THREADS - 5)


def test_an_offer_taken_in_two_tabs_at_once_confirms_once(postgres_only):
    from events.models import SeatOffer

    session = SessionFactory(capacity=1)
    holder = services.registration_create(session=session, user=UserFactory())
    waiting = UserFactory()
    entry = services.waiting_list_join(page=session.page, user=waiting)
    services.registration_cancel(registration=holder, by=holder.user)
    offer = SeatOffer.objects.get(entry=entry, status="pending")
    results = race([lambda: services.seat_offer_accept(offer=offer, by=waiting)] * 2)
    assert sorted(results) == ["already_accepted", "ok"]
    assert list(
        Registration.objects.filter(session=session, status="confirmed").values_list(
            "user", flat=True
        )
    ) == [waiting.pk]
