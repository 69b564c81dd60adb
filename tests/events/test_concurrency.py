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
