"""The row-locking helper (core/locking.py): a lock held too long becomes a French « réessayez »
with nothing changed, never a request that hangs; the race tests' one switch turns it off."""

import threading

from django.conf import settings
from django.db import connection, transaction

import pytest

from core.errors import DomainError
from core.locking import lock_all, lock_one
from events import services
from events.models import Registration, Session
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

DEADLINE = 300


def test_lock_one_and_lock_all_read_the_rows(db):
    first, second = SessionFactory(), SessionFactory()
    with transaction.atomic():
        assert lock_one(Session.objects.all(), pk=first.pk) == first
        assert lock_all(Session.objects.order_by("pk")) == [first, second]
    with pytest.raises(Session.DoesNotExist), transaction.atomic():
        lock_one(Session.objects.all(), pk=second.pk + 1)


def test_the_switch_leaves_the_lock_out(db, settings, django_assert_num_queries):
    session = SessionFactory()
    settings.MAILLAGE_ROW_LOCKS = False
    with transaction.atomic(), django_assert_num_queries(1) as context:
        lock_one(Session.objects.all(), pk=session.pk)
    assert "FOR UPDATE" not in context.captured_queries[0]["sql"]


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="Garantie vérifiée sur PostgreSQL (DATABASE_URL).",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lock_held_too_long_asks_to_try_again_and_changes_nothing(settings):
    session = SessionFactory(capacity=3)
    person = UserFactory()
    settings.MAILLAGE_LOCK_TIMEOUT_SECONDS = 0.5
    locked, release = threading.Event(), threading.Event()

    def hold_the_session():
        try:
            with transaction.atomic():
                lock_one(Session.objects.all(), pk=session.pk)
                locked.set()
                release.wait(DEADLINE)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_session)
    holder.start()
    try:
        assert locked.wait(DEADLINE)
        with pytest.raises(DomainError) as refused:
            services.registration_create(session=session, user=person)
    finally:
        release.set()
        holder.join(DEADLINE)
    assert refused.value.code == "busy"
    assert "réessayez" in refused.value.message
    assert not Registration.objects.filter(session=session).exists()
    # Once the other transaction ends, the same request goes through.
    services.registration_create(session=session, user=person)
    assert Registration.objects.filter(session=session, user=person).exists()
