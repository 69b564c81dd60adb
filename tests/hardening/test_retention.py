"""After MAILLAGE_RETENTION_DAYS, registrations of past sessions, finished loans, unsubscribed
addresses and the staff access log are anonymised; recent ones are untouched; running twice
is harmless; a dry run writes nothing."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from core.models import PersonalDataAccess
from core.services import personal_data_access_record
from core.tasks import retention_apply
from events.models import Registration
from events.services import registrations_anonymise_older_than
from newsletter.models import Subscriber
from newsletter.services import subscriber_import, subscribers_anonymise_unsubscribed_older_than
from numeritheque.models import Booking, BookingTransition
from numeritheque.services import booking_cancel, booking_request, bookings_anonymise_older_than
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.events import SessionFactory
from tests.factories.newsletter import SubscriberFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db

RETENTION = 1095
START = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
# The first batch is created at START, the second three years later; the checks run 200 days
# after that: the first batch is past retention, the second is not.
LATER = START + datetime.timedelta(days=RETENTION)
CHECK = LATER + datetime.timedelta(days=200)


def _batch(label: str) -> dict:
    """One of each kind of data, created "now" (whatever time the machine says)."""
    now = timezone.now()
    session = SessionFactory(
        start=now - datetime.timedelta(days=2), end=now - datetime.timedelta(days=2, hours=-3)
    )
    attended = Registration.objects.create(
        session=session,
        user=UserFactory(),
        status=Registration.Status.ATTENDED,
        answers={"dietary": "végétarien", "accessibility": "boucle magnétique"},
    )
    absent = Registration.objects.create(
        session=session, user=UserFactory(), status=Registration.Status.ABSENT
    )
    requester, organisation = manager_of_structure()
    booking = booking_request(
        requester=requester,
        structure=organisation,
        items=[ItemFactory()],
        start=days(2),
        end=days(4),
        purpose="Atelier",
    )
    booking_cancel(booking=booking, by=requester)
    unsubscribed = SubscriberFactory(
        email=f"partie-{label}@exemple.fr",
        name="Dominique",
        status=Subscriber.Status.UNSUBSCRIBED,
        unsubscribed_at=now,
    )
    confirmed = SubscriberFactory(email=f"reste-{label}@exemple.fr", name="Alix")
    access = personal_data_access_record(user=hub_staff(), what="Inscriptions", target=session)
    return {
        "session": session,
        "attended": attended,
        "absent": absent,
        "booking": booking,
        "unsubscribed": unsubscribed,
        "confirmed": confirmed,
        "access": access,
    }


@pytest.fixture
def batches():
    with time_machine.travel(START, tick=False):
        old = _batch("ancienne")
    with time_machine.travel(LATER, tick=False):
        recent = _batch("recente")
    with time_machine.travel(CHECK, tick=False):
        yield old, recent


def _refresh(batch: dict) -> dict:
    for value in batch.values():
        if not isinstance(value, PersonalDataAccess):
            value.refresh_from_db()
    return batch


def _snapshot() -> tuple:
    return (
        list(Registration.objects.order_by("pk").values_list("user_id", "answers", "status")),
        list(Booking.objects.order_by("pk").values_list("requester_id", "status")),
        list(BookingTransition.objects.order_by("pk").values_list("by_id", flat=True)),
        list(Subscriber.objects.order_by("pk").values_list("email", "name", "status")),
        PersonalDataAccess.objects.count(),
    )


def _is_anonymised(batch: dict) -> bool:
    batch = _refresh(batch)
    return (
        batch["attended"].user is None
        and batch["attended"].answers == {}
        and batch["absent"].user is None
        and batch["booking"].requester is None
        and not batch["booking"].transitions.filter(by__isnull=False).exists()
        and batch["unsubscribed"].email.endswith("@anonyme.invalid")
        and batch["unsubscribed"].name == ""
        and not PersonalDataAccess.objects.filter(pk=batch["access"].pk).exists()
    )


def _is_untouched(batch: dict) -> bool:
    batch = _refresh(batch)
    return (
        batch["attended"].user is not None
        and batch["attended"].answers["dietary"] == "végétarien"
        and batch["booking"].requester is not None
        and batch["unsubscribed"].email.startswith("partie-")
        and batch["unsubscribed"].name == "Dominique"
        and PersonalDataAccess.objects.filter(pk=batch["access"].pk).exists()
    )


def _run_all() -> None:
    call_command("anonymise_old_data", "--days", str(RETENTION), stdout=io.StringIO())


def test_old_data_is_anonymised_and_recent_data_untouched(batches):
    old, recent = batches
    _run_all()
    assert _is_anonymised(old)
    assert _is_untouched(recent)


def test_statistics_survive_anonymisation(batches):
    old, _recent = batches
    session = old["session"]
    _run_all()
    statuses = sorted(session.registrations.values_list("status", flat=True))
    assert statuses == [Registration.Status.ABSENT, Registration.Status.ATTENDED]
    assert Booking.objects.filter(pk=old["booking"].pk, status=Booking.Status.CANCELLED).exists()
    old["confirmed"].refresh_from_db()
    assert old["confirmed"].email == "reste-ancienne@exemple.fr"


def test_services_return_counts_and_a_second_run_is_harmless(batches):
    assert registrations_anonymise_older_than(days=RETENTION) == 2
    assert bookings_anonymise_older_than(days=RETENTION) == 1
    assert subscribers_anonymise_unsubscribed_older_than(days=RETENTION) == 1
    _run_all()
    before = _snapshot()
    assert registrations_anonymise_older_than(days=RETENTION) == 0
    assert bookings_anonymise_older_than(days=RETENTION) == 0
    assert subscribers_anonymise_unsubscribed_older_than(days=RETENTION) == 0
    _run_all()
    assert _snapshot() == before


def test_dry_run_counts_and_writes_nothing(batches):
    old, _recent = batches
    before = _snapshot()
    out = io.StringIO()
    call_command("anonymise_old_data", "--days", str(RETENTION), "--dry-run", stdout=out)
    assert _snapshot() == before
    assert _is_untouched(old)
    text = out.getvalue()
    assert "Simulation : rien n'est modifié." in text
    assert "inscriptions anonymisées : 2" in text
    assert "réservations anonymisées : 1" in text
    assert "adresses désinscrites anonymisées : 1" in text
    assert "consultations de données personnelles effacées : 1" in text


def test_command_prints_french_counts(batches):
    out = io.StringIO()
    call_command("anonymise_old_data", "--days", str(RETENTION), stdout=out)
    assert "Données antérieures à 1095 jours" in out.getvalue()
    assert "inscriptions anonymisées : 2" in out.getvalue()


def test_the_daily_task_uses_the_setting(batches, settings):
    old, recent = batches
    settings.MAILLAGE_RETENTION_DAYS = RETENTION
    retention_apply()
    assert _is_anonymised(old)
    assert _is_untouched(recent)


def test_a_shorter_setting_reaches_recent_data_too(batches, settings):
    _old, recent = batches
    settings.MAILLAGE_RETENTION_DAYS = 100
    retention_apply()
    assert _is_anonymised(recent)


def test_an_anonymised_address_is_still_never_re_subscribed_by_an_import(batches):
    _run_all()
    report = subscriber_import(data=b"email\npartie-ancienne@exemple.fr\n", source="Salon")
    assert [line.imported for line in report] == [False]
    assert "désinscrite" in report[0].reason
    assert not Subscriber.objects.filter(email="partie-ancienne@exemple.fr").exists()


def test_staff_screens_show_anonymised_registrations(batches, client):
    old, _recent = batches
    _run_all()
    client.force_login(hub_staff())
    pk = old["session"].pk
    for url in (
        f"/admin/agenda/sessions/manage/{pk}/",
        f"/admin/agenda/sessions/manage/{pk}/attendance/",
        f"/admin/agenda/sessions/manage/{pk}/export.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "anonymisée" in response.getvalue().decode(), url


def test_the_beat_schedule_runs_retention_daily():
    from portal.celery import app

    entries = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "core.tasks.retention_apply" in entries


def test_negative_days_are_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="positif"):
        call_command("anonymise_old_data", "--days", "-1", stdout=io.StringIO())
