import datetime

from django.core import mail

import pytest
import time_machine
import vobject
from icalendar import Calendar

from core.errors import DomainError
from numeritheque import services
from numeritheque.models import Booking, BookingItem, Item, MaintenancePeriod
from numeritheque.selectors import BOOKED, FREE, item_availability
from tests.factories.accounts import UserFactory, numeritheque_manager
from tests.factories.directory import OrganisationFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester():
    return manager_of_structure()


@pytest.fixture
def team():
    return numeritheque_manager()


def request(requester, items, start, end, **kwargs):
    user, structure = requester
    return services.booking_request(
        requester=kwargs.pop("user", user),
        structure=kwargs.pop("structure", structure),
        items=items,
        start=start,
        end=end,
        purpose="Atelier découverte de la réalité virtuelle",
        **kwargs,
    )


def assert_refused(code, function, **kwargs):
    before = (Booking.objects.count(), list(Booking.objects.values_list("status", flat=True)))
    with pytest.raises(DomainError) as excinfo:
        function(**kwargs)
    assert excinfo.value.code == code
    assert str(excinfo.value.message)
    assert (
        Booking.objects.count(),
        list(Booking.objects.values_list("status", flat=True)),
    ) == before


def test_full_life_of_a_booking_logs_every_transition_and_emails_with_ics(
    requester, team, django_capture_on_commit_callbacks
):
    item = ItemFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(requester, [item], days(0), days(2))
    assert booking.status == Booking.Status.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_approve(booking=booking, by=team)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_check_out(
            booking=booking, by=team, condition_notes="RAS", accessories=["Housse"]
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_check_in(
            booking=booking, by=team, condition_notes="Propre", accessories=["Housse"]
        )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.RETURNED
    assert list(booking.transitions.values_list("to_status", flat=True)) == [
        "demandee",
        "acceptee",
        "sortie",
        "rendue",
    ]
    assert all(t.by_id for t in booking.transitions.all())
    assert not BookingItem.objects.get(booking=booking).active
    assert booking.inspections.get(kind="sortie").accessories_checked == ["Housse"]
    # The request is told to the requester and, in a message of its own, to the team.
    assert len(mail.outbox) == 5
    assert mail.outbox[2].subject == f"Numérithèque : réservation n° {booking.pk} acceptée"
    filename, content, mimetype = mail.outbox[2].attachments[0]
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [days(0), days(2)]
    # An independent parser reads it too (RFC 5545).
    parsed = vobject.readOne(content.decode() if isinstance(content, bytes) else content)
    assert len(parsed.vevent_list) == 2
    assert parsed.vevent_list[0].uid.value.startswith("numeritheque-retrait-")
    assert team.email not in mail.outbox[0].to
    assert mail.outbox[1].to == [team.email]


def test_return_before_pickup_refused(requester):
    assert_refused(
        "return_before_pickup",
        request,
        requester=requester,
        items=[ItemFactory()],
        start=days(3),
        end=days(2),
    )


def test_dates_in_past_refused(requester):
    assert_refused(
        "date_in_past",
        request,
        requester=requester,
        items=[ItemFactory()],
        start=days(-1),
        end=days(2),
    )


def test_longer_than_category_maximum_refused(requester):
    item = ItemFactory(category__max_booking_days=3)
    assert_refused(
        "too_long", request, requester=requester, items=[item], start=days(1), end=days(4)
    )
    assert request(requester, [item], days(1), days(3))


@pytest.mark.parametrize("state", [Item.State.MAINTENANCE, Item.State.RETIRED])
def test_item_in_maintenance_or_retired_refused(requester, state):
    item = ItemFactory(state=state)
    assert_refused(
        "item_unavailable", request, requester=requester, items=[item], start=days(1), end=days(2)
    )


def test_maintenance_period_blocks_booking(requester):
    item = ItemFactory()
    MaintenancePeriod.objects.create(item=item, start=days(5), end=days(6), reason="Mise à jour")
    assert_refused(
        "maintenance", request, requester=requester, items=[item], start=days(4), end=days(5)
    )
    assert request(requester, [item], days(1), days(3))


def test_overlap_refused_and_buffer_counts(requester):
    item = ItemFactory(category__buffer_days=2)
    request(requester, [item], days(1), days(3))
    assert_refused(
        "overlap", request, requester=requester, items=[item], start=days(3), end=days(4)
    )
    # Returned day 3, two days of preparation: free again on day 6, not before.
    assert_refused(
        "overlap", request, requester=requester, items=[item], start=days(5), end=days(5)
    )
    assert request(requester, [item], days(6), days(7))


def test_refused_or_cancelled_booking_frees_the_item(requester, team):
    item = ItemFactory()
    first = request(requester, [item], days(1), days(2))
    services.booking_refuse(booking=first, by=team, reason="Matériel réservé pour le Hub")
    second = request(requester, [item], days(1), days(2))
    services.booking_cancel(booking=second, by=requester[0])
    assert request(requester, [item], days(1), days(2))


def test_requester_without_role_refused():
    structure = OrganisationFactory()
    user = UserFactory()
    assert_refused(
        "not_structure_manager",
        request,
        requester=(user, structure),
        items=[ItemFactory()],
        start=days(1),
        end=days(2),
    )


def test_manager_of_another_structure_refused(requester):
    assert_refused(
        "not_manager_of_structure",
        request,
        requester=requester,
        structure=OrganisationFactory(),
        items=[ItemFactory()],
        start=days(1),
        end=days(2),
    )


def test_no_items_refused(requester):
    assert_refused("no_items", request, requester=requester, items=[], start=days(1), end=days(2))


def test_illegal_transitions_refused(requester, team):
    booking = request(requester, [ItemFactory()], days(0), days(1))
    assert_refused(
        "illegal_transition",
        services.booking_check_in,
        booking=booking,
        by=team,
        condition_notes="",
    )
    assert_refused(
        "illegal_transition",
        services.booking_check_out,
        booking=booking,
        by=team,
        condition_notes="",
    )
    services.booking_cancel(booking=booking, by=requester[0])
    assert_refused("illegal_transition", services.booking_approve, booking=booking, by=team)
    assert_refused(
        "illegal_transition", services.booking_refuse, booking=booking, by=team, reason="Non"
    )


def test_cancel_after_pickup_refused(requester, team):
    booking = request(requester, [ItemFactory()], days(0), days(1))
    services.booking_approve(booking=booking, by=team)
    services.booking_check_out(booking=booking, by=team, condition_notes="")
    assert_refused("illegal_transition", services.booking_cancel, booking=booking, by=requester[0])


def test_check_out_before_its_window_refused(requester, team, settings):
    """Handed over from MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE days before the pick-up,
    not earlier."""
    settings.MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE = 2
    booking = request(requester, [ItemFactory()], days(3), days(4))
    services.booking_approve(booking=booking, by=team)
    assert_refused(
        "too_early", services.booking_check_out, booking=booking, by=team, condition_notes=""
    )


def test_refuse_needs_a_reason(requester, team):
    booking = request(requester, [ItemFactory()], days(1), days(2))
    assert_refused("reason_required", services.booking_refuse, booking=booking, by=team, reason=" ")


def test_only_the_team_runs_the_library(requester):
    booking = request(requester, [ItemFactory()], days(1), days(2))
    assert_refused(
        "not_numeritheque_manager", services.booking_approve, booking=booking, by=requester[0]
    )


def test_other_structure_cannot_cancel(requester):
    booking = request(requester, [ItemFactory()], days(1), days(2))
    other, _structure = manager_of_structure()
    assert_refused("forbidden", services.booking_cancel, booking=booking, by=other)


def test_damaged_return_puts_item_into_maintenance(requester, team):
    item = ItemFactory()
    booking = request(requester, [item], days(0), days(1))
    services.booking_approve(booking=booking, by=team)
    services.booking_check_out(booking=booking, by=team, condition_notes="")
    services.booking_check_in(booking=booking, by=team, condition_notes="Écran fêlé", damaged=True)
    item.refresh_from_db()
    assert item.state == Item.State.MAINTENANCE
    assert_refused(
        "item_unavailable", request, requester=requester, items=[item], start=days(3), end=days(4)
    )


def test_availability_shows_booking_and_buffer(requester):
    item = ItemFactory(category__buffer_days=1)
    request(requester, [item], days(2), days(3))
    states = item_availability(item=item, start=days(1), end=days(5))
    assert [states[days(n)] for n in range(1, 6)] == [FREE, BOOKED, BOOKED, BOOKED, FREE]


def test_reminders_are_sent_once_and_late_every_two_days(requester, team):
    from numeritheque.tasks import booking_reminders_dispatch

    item = ItemFactory()
    start = datetime.date(2026, 3, 2)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        booking = request(requester, [item], start, start + datetime.timedelta(days=1))
        services.booking_approve(booking=booking, by=team)
        mail.outbox.clear()
        booking_reminders_dispatch()
        booking_reminders_dispatch()
        assert [m.subject for m in mail.outbox] == ["Numérithèque : retrait du matériel demain"]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        services.booking_check_out(booking=booking, by=team, condition_notes="")
        mail.outbox.clear()
        booking_reminders_dispatch()
        assert [m.subject for m in mail.outbox] == ["Numérithèque : retour du matériel demain"]
    sent = []
    for day in range(4, 9):
        with time_machine.travel(
            datetime.datetime(2026, 3, day, 9, tzinfo=datetime.UTC), tick=False
        ):
            mail.outbox.clear()
            booking_reminders_dispatch()
            booking_reminders_dispatch()
            sent.append(len(mail.outbox))
    assert sent == [2, 0, 2, 0, 2]  # the requester's message and the team's own
    late = booking.notices.filter(kind="retard")
    assert late.exclude(key__endswith=":equipe").count() == 3
    assert late.filter(key__endswith=":equipe").count() == 3


def test_utilisation_counts_days_booked_per_month(requester, team):
    from numeritheque.selectors import utilisation

    item = ItemFactory(name="Prusa MK4", category__name="Imprimantes 3D", category__buffer_days=0)
    with time_machine.travel(datetime.datetime(2026, 1, 20, 9, tzinfo=datetime.UTC), tick=False):
        booking = request(requester, [item], datetime.date(2026, 1, 30), datetime.date(2026, 2, 2))
        services.booking_approve(booking=booking, by=team)
        request(requester, [item], datetime.date(2026, 2, 10), datetime.date(2026, 2, 11))
    figures = utilisation(year=2026)
    # The second booking is only requested: it does not count as a loan yet.
    assert figures["items"] == [("Prusa MK4", [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]
    assert figures["categories"] == [("Imprimantes 3D", [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]


@pytest.mark.parametrize(("buffer", "said"), [(1, "1 jour compris"), (2, "2 jours compris")])
def test_refusals_say_days_in_french_plurals(requester, buffer, said):
    item = ItemFactory(category__buffer_days=buffer)
    request(requester, [item], days(1), days(3))
    with pytest.raises(DomainError) as excinfo:
        request(requester, [item], days(3), days(4))
    assert said in excinfo.value.message
    assert "(s)" not in excinfo.value.message
