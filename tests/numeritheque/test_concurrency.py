"""The guarantee on PostgreSQL: never two overlapping active bookings of one item, whatever
the number of concurrent requests, and even for a raw insert that bypasses the services."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import IntegrityError, connection, transaction

import pytest

from core.errors import DomainError
from numeritheque import services
from numeritheque.models import Booking, BookingItem
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # One worker at a time opens its threads' connections: see tests/conftest.py.
    pytest.mark.xdist_group("postgres-threads"),
]

THREADS = 50


def race(item, structures):
    """Fire one booking request per (user, structure) at once; return successes and errors."""
    barrier = threading.Barrier(len(structures))

    def attempt(pair):
        user, structure = pair
        barrier.wait()
        try:
            services.booking_request(
                requester=user,
                structure=structure,
                items=[item],
                start=days(3),
                end=days(5),
                purpose="Atelier",
            )
            return "ok"
        except DomainError as error:
            return error.code
        except IntegrityError:
            return "integrity"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(structures)) as pool:
        return list(pool.map(attempt, structures))


@pytest.fixture
def contenders(postgres_only):
    return [manager_of_structure() for _ in range(THREADS)]


def test_fifty_concurrent_requests_give_one_booking_and_clear_refusals(contenders):
    item = ItemFactory()
    results = race(item, contenders)
    assert results.count("ok") == 1
    assert results.count("overlap") == THREADS - 1
    assert BookingItem.objects.filter(item=item, active=True).count() == 1


def test_without_the_lock_the_database_constraint_still_holds(contenders, monkeypatch, settings):
    """Switch the lock off: requests race past the check, and only the exclusion constraint
    stops the second booking (as a raw IntegrityError instead of a clear refusal)."""
    settings.MAILLAGE_ROW_LOCKS = False
    all_checked = threading.Barrier(THREADS)
    check = services._check_items_free

    def check_then_wait_for_everyone(**kwargs):
        check(**kwargs)
        all_checked.wait(timeout=300)

    monkeypatch.setattr(services, "_check_items_free", check_then_wait_for_everyone)
    item = ItemFactory()
    results = race(item, contenders)
    assert results.count("ok") == 1
    assert results.count("integrity") == THREADS - 1
    assert BookingItem.objects.filter(item=item, active=True).count() == 1
    assert Booking.objects.filter(booking_items__item=item).count() == 1


def test_raw_overlapping_insert_is_rejected_by_the_database(postgres_only):
    item = ItemFactory(category__buffer_days=0)
    user, structure = manager_of_structure()
    booking = services.booking_request(
        requester=user, structure=structure, items=[item], start=days(1), end=days(3), purpose="x"
    )
    other = Booking.objects.create(
        structure=structure, requester=user, start=days(3), end=days(4), purpose="x"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingItem.objects.create(
            booking=other, item=item, blocked_start=days(3), blocked_end=days(5)
        )
    # Adjacent ranges and inactive rows are allowed.
    BookingItem.objects.create(booking=other, item=item, blocked_start=days(4), blocked_end=days(5))
    services.booking_cancel(booking=booking, by=user)
    BookingItem.objects.filter(booking=other).update(blocked_start=days(1))
    assert BookingItem.objects.filter(item=item, active=True).count() == 1
