"""A proposal is accepted once, even when several staff members click at the same instant:
first the race shown with the lock switched off (so this test can fail), then one session
with it on. PostgreSQL only (real row locks)."""

import threading

from django.db import connection

import pytest

from core.errors import DomainError
from events.models import Session
from peer_exchange import services
from tests.factories.accounts import hub_staff
from tests.factories.peer_exchange import proposal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.xdist_group("postgres-threads"),
]

THREADS = 8


def accept_concurrently(created) -> list[str]:
    staff = hub_staff()
    dates = list(created.dates.all())
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker(number):
        try:
            barrier.wait()
            services.proposal_accept(proposal=created, date=dates[number % len(dates)], by=staff)
        except DomainError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_without_the_lock_a_proposal_is_accepted_twice(postgres_only, settings):
    settings.MAILLAGE_ROW_LOCKS = False
    doubled = False
    for _attempt in range(3):
        created = proposal()
        accept_concurrently(created)
        if Session.objects.filter(page=created.format).count() > 1:
            doubled = True
            break
    assert doubled, "la course n'a pas été reproduite : le test ne prouverait rien"


def test_concurrent_accepts_create_one_session(postgres_only):
    created = proposal()
    errors = accept_concurrently(created)
    assert Session.objects.filter(page=created.format).count() == 1
    assert errors == ["closed"] * (THREADS - 1)
