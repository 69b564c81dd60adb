"""One waiting list per training (issue 20 §5): a person or a structure's group waits for any
session of a page or the ones ticked; a freed seat goes to whoever has waited longest among the
session's waitlisted registrations and the page's entries that include it; an offer holds the
seats for MAILLAGE_OFFER_HOLD_HOURS, then passes to the next; groups all together or split."""

import datetime
import re

from django.core import mail
from django.utils import timezone

import pytest
import time_machine

from core.errors import DomainError
from events import services
from events.models import Registration, SeatOffer, WaitingListEntry
from events.offer_links import seat_offer_pk_from_token, seat_offer_token
from events.tasks import seat_offers_expire_due
from tests.factories.accounts import UserFactory
from tests.factories.directory import OrganisationFactory, StructureMembershipFactory
from tests.factories.events import SessionFactory, conference_page

pytestmark = pytest.mark.django_db


def register(session, user=None):
    return services.registration_create(session=session, user=user or UserFactory())


def full_session(capacity=1, **kwargs):
    """A session of a fresh page with every seat taken; returns it and its registrations."""
    session = SessionFactory(capacity=capacity, **kwargs)
    return session, [register(session) for _ in range(capacity)]


def structure_with(size: int):
    """A structure, its manager and `size` members."""
    organisation = OrganisationFactory()
    manager = UserFactory()
    StructureMembershipFactory(user=manager, organisation=organisation, is_manager=True)
    members = UserFactory.create_batch(size)
    for member in members:
        StructureMembershipFactory(user=member, organisation=organisation, is_manager=False)
    return organisation, manager, members


def pending(entry) -> SeatOffer | None:
    return entry.offers.filter(status=SeatOffer.Status.PENDING).first()


def cancel(registration):
    return services.registration_cancel(registration=registration, by=registration.user)


class TestJoining:
    def test_a_person_joins_the_waiting_list_of_a_page_once(self):
        session, _taken = full_session()
        user = UserFactory()
        entry = services.waiting_list_join(page=session.page, user=user)
        again = services.waiting_list_join(page=session.page, user=user, sessions=[session])
        assert again.pk == entry.pk
        assert list(again.sessions.all()) == [session]
        assert list(entry.people.values_list("user", flat=True)) == [user.pk]

    def test_nobody_waits_while_a_seat_is_free(self):
        session = SessionFactory(capacity=3)
        with pytest.raises(DomainError) as error:
            services.waiting_list_join(page=session.page, user=UserFactory())
        assert error.value.code == "seats_left"
        assert "inscrivez-vous directement" in error.value.message
        assert not WaitingListEntry.objects.exists()

    def test_a_session_of_another_page_cannot_be_ticked(self):
        session, _taken = full_session()
        with pytest.raises(DomainError) as error:
            services.waiting_list_join(
                page=session.page, user=UserFactory(), sessions=[SessionFactory()]
            )
        assert error.value.code == "unknown_session"


def one_hour_offer_to_the_first_of_two(settings):
    """A full session whose freed seat is offered, held one hour, to the first of two waiting."""
    settings.MAILLAGE_OFFER_HOLD_HOURS = 1
    session, (holder,) = full_session()
    first = services.waiting_list_join(page=session.page, user=UserFactory())
    second = services.waiting_list_join(page=session.page, user=UserFactory())
    cancel(holder)
    return session, first, second, pending(first)


class TestOffers:
    def test_a_freed_seat_is_offered_and_held_and_emailed_with_signed_links(
        self, django_capture_on_commit_callbacks, settings
    ):
        settings.MAILLAGE_OFFER_HOLD_HOURS = 48
        session, (holder,) = full_session()
        waiting = UserFactory(first_name="Nolwenn")
        entry = services.waiting_list_join(page=session.page, user=waiting)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            cancel(holder)
        offer = pending(entry)
        assert offer.seats == 1
        assert offer.expires_at == pytest.approx(
            timezone.now() + datetime.timedelta(hours=48), abs=datetime.timedelta(minutes=1)
        )
        # Held: someone registering now goes to the waiting list, not into the seat.
        assert register(session).status == "waitlisted"
        message = next(m for m in mail.outbox if m.to == [waiting.email])
        assert "Une place pour vous" in message.subject
        body = message.body
        assert "Je prends la place" in body and "Je laisse la place" in body
        tokens = set(re.findall(r"/agenda/propositions/([^/]+)/\?choix=", body))
        assert [seat_offer_pk_from_token(token) for token in tokens] == [offer.pk]
        # Sent once, even if the task runs again.
        assert services.seat_offer_send_email(offer=offer) is False

    def test_taking_the_offer_confirms_and_a_second_tab_changes_nothing(self):
        session, (holder,) = full_session()
        waiting = UserFactory()
        entry = services.waiting_list_join(page=session.page, user=waiting)
        cancel(holder)
        offer = pending(entry)
        (registration,) = services.seat_offer_accept(offer=offer, by=waiting)
        assert registration.status == "confirmed" and registration.user == waiting
        entry.refresh_from_db()
        assert entry.status == WaitingListEntry.Status.PLACED
        before = list(Registration.objects.values_list("pk", "status"))
        with pytest.raises(DomainError) as error:
            services.seat_offer_accept(offer=offer, by=waiting)
        assert error.value.code == "already_accepted"
        with pytest.raises(DomainError) as error:
            services.seat_offer_decline(offer=offer, by=waiting)
        assert error.value.code == "already_accepted"
        assert list(Registration.objects.values_list("pk", "status")) == before

    def test_someone_else_cannot_answer_the_offer(self):
        session, (holder,) = full_session()
        entry = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(holder)
        with pytest.raises(DomainError) as error:
            services.seat_offer_accept(offer=pending(entry), by=UserFactory())
        assert error.value.code == "forbidden"
        assert pending(entry) is not None

    def test_leaving_the_seat_passes_it_to_the_next_and_never_offers_it_again(self):
        session, (holder,) = full_session()
        first = services.waiting_list_join(page=session.page, user=UserFactory())
        second = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(holder)
        services.seat_offer_decline(offer=pending(first), by=first.requester)
        assert pending(second) is not None and pending(first) is None
        services.seat_offer_decline(offer=pending(second), by=second.requester)
        assert pending(first) is None
        first.refresh_from_db()
        assert first.status == WaitingListEntry.Status.WAITING
        assert register(session).status == "confirmed"

    def test_an_unanswered_offer_expires_and_passes_on_by_the_periodic_task(self, settings):
        settings.MAILLAGE_OFFER_HOLD_HOURS = 48
        session, (holder,) = full_session()
        session.start = timezone.now() + datetime.timedelta(days=10)
        session.end = session.start + datetime.timedelta(hours=3)
        session.save()
        first = services.waiting_list_join(page=session.page, user=UserFactory())
        second = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(holder)
        offer = pending(first)
        assert seat_offers_expire_due() == 0
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
            assert seat_offers_expire_due() == 1
            assert seat_offers_expire_due() == 0
        offer.refresh_from_db()
        assert offer.status == SeatOffer.Status.EXPIRED
        assert pending(second) is not None

    def test_an_expired_link_is_refused_and_the_seat_passes_on_at_once(self, settings):
        session, first, second, offer = one_hour_offer_to_the_first_of_two(settings)
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
            with pytest.raises(DomainError) as error:
                services.seat_offer_accept(offer=offer, by=first.requester)
            assert error.value.code == "expired"
            assert "personne suivante" in error.value.message
        offer.refresh_from_db()
        assert offer.status == SeatOffer.Status.EXPIRED
        assert not session.registrations.filter(user=first.requester).exists()
        assert pending(second) is not None

    def test_a_registration_expires_an_overdue_offer_and_its_seat_passes_on(self, settings):
        session, _first, second, offer = one_hour_offer_to_the_first_of_two(settings)
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
            assert register(session).status == "waitlisted"
        offer.refresh_from_db()
        assert offer.status == SeatOffer.Status.EXPIRED
        assert pending(second) is not None

    def test_an_offer_never_outlives_the_session_start(self, settings):
        settings.MAILLAGE_OFFER_HOLD_HOURS = 24 * 30
        session, (holder,) = full_session()
        entry = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(holder)
        assert pending(entry).expires_at == session.start


class TestOneQueue:
    def test_whoever_waited_longest_gets_the_seat_first(self):
        session, (holder,) = full_session()
        waitlisted = register(session)  # the session's own list, first
        entry = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(holder)
        waitlisted.refresh_from_db()
        assert waitlisted.status == "confirmed"
        assert pending(entry) is None
        cancel(waitlisted)
        assert pending(entry) is not None

    def test_an_entry_older_than_the_session_list_is_offered_first(self):
        session, (holder,) = full_session()
        entry = services.waiting_list_join(page=session.page, user=UserFactory())
        waitlisted = register(session)
        cancel(holder)
        assert pending(entry) is not None
        waitlisted.refresh_from_db()
        assert waitlisted.status == "waitlisted"

    def test_an_entry_waits_only_for_the_sessions_it_ticked(self):
        page = conference_page()
        monday = SessionFactory(page=page, capacity=1)
        tuesday = SessionFactory(page=page, capacity=1)
        monday_holder, tuesday_holder = register(monday), register(tuesday)
        tuesday_only = services.waiting_list_join(page=page, user=UserFactory(), sessions=[tuesday])
        anything = services.waiting_list_join(page=page, user=UserFactory())
        cancel(monday_holder)
        assert pending(tuesday_only) is None
        assert pending(anything).session == monday
        cancel(tuesday_holder)
        assert pending(tuesday_only).session == tuesday

    def test_cancelling_the_session_voids_its_offers(self):
        session, (holder,) = full_session()
        entry = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(holder)
        offer = pending(entry)
        services.session_cancel(session=session, reason="Formatrice malade")
        offer.refresh_from_db()
        assert offer.status == SeatOffer.Status.VOID
        entry.refresh_from_db()
        assert entry.status == WaitingListEntry.Status.WAITING

    def test_leaving_the_list_with_an_offer_passes_it_on(self):
        session, (holder,) = full_session()
        first = services.waiting_list_join(page=session.page, user=UserFactory())
        second = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(holder)
        services.waiting_list_leave(entry=first, by=first.requester)
        assert pending(second) is not None

    def test_held_seats_are_not_shown_as_free(self):
        from events.selectors import session_get

        session, taken = full_session(capacity=2)
        services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(taken[0])
        shown = session_get(pk=session.pk)
        assert shown.held_total == 1 and shown.seats_left == 0 and shown.is_full

    def test_capacity_cannot_drop_under_held_seats(self):
        session, taken = full_session(capacity=2)
        services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(taken[0])
        with pytest.raises(DomainError) as error:
            services.session_change_capacity(session=session, capacity=1)
        assert error.value.code == "capacity_below_held"


class TestGroups:
    def test_all_together_is_refused_when_larger_than_the_seats_and_nothing_changes(self):
        session = SessionFactory(capacity=3)
        organisation, manager, members = structure_with(4)
        with pytest.raises(DomainError) as error:
            services.registration_create_group(
                session=session,
                requester=manager,
                organisation=organisation,
                people=members,
                all_or_nothing=True,
            )
        assert error.value.code == "group_too_large"
        assert "il ne reste que 3 places" in error.value.message
        assert not session.registrations.exists()

    def test_a_split_group_takes_the_seats_left_and_waits_for_the_rest(self):
        session = SessionFactory(capacity=3)
        register(session)
        organisation, manager, members = structure_with(4)
        result = services.registration_create_group(
            session=session,
            requester=manager,
            organisation=organisation,
            people=members,
            all_or_nothing=False,
        )
        assert len(result.confirmed) == 2 and len(result.waitlisted) == 2
        assert session.registrations.filter(status="confirmed").count() == 3

    def test_only_a_manager_registers_only_members(self):
        session = SessionFactory(capacity=10)
        organisation, manager, members = structure_with(2)
        for requester, people, code in (
            (members[0], members, "forbidden"),
            (manager, [*members, UserFactory()], "not_member"),
            (manager, [], "empty_group"),
        ):
            with pytest.raises(DomainError) as error:
                services.registration_create_group(
                    session=session,
                    requester=requester,
                    organisation=organisation,
                    people=people,
                    all_or_nothing=True,
                )
            assert error.value.code == code
        assert not session.registrations.exists()

    def test_an_all_together_group_is_skipped_until_enough_seats_are_free(self):
        session, taken = full_session(capacity=3)
        organisation, manager, members = structure_with(2)
        group = services.waiting_list_join_group(
            page=session.page,
            requester=manager,
            organisation=organisation,
            people=members,
            all_or_nothing=True,
        )
        person = services.waiting_list_join(page=session.page, user=UserFactory())
        cancel(taken[0])
        assert pending(group) is None
        assert pending(person).seats == 1
        services.seat_offer_accept(offer=pending(person), by=person.requester)
        cancel(taken[1])
        cancel(taken[2])
        offer = pending(group)
        assert offer.seats == 2
        registrations = services.seat_offer_accept(offer=offer, by=manager)
        assert {r.user for r in registrations} == set(members)
        assert session.registrations.filter(status="confirmed").count() == 3

    def test_a_split_group_is_offered_what_is_free_and_keeps_waiting(self):
        session, taken = full_session(capacity=3)
        organisation, manager, members = structure_with(3)
        group = services.waiting_list_join_group(
            page=session.page,
            requester=manager,
            organisation=organisation,
            people=members,
            all_or_nothing=False,
        )
        cancel(taken[0])
        services.seat_offer_accept(offer=pending(group), by=manager)
        group.refresh_from_db()
        assert group.status == WaitingListEntry.Status.WAITING
        assert group.people.filter(registration__isnull=True).count() == 2

    def test_a_group_larger_than_every_session_cannot_wait_all_together(self):
        session, _taken = full_session(capacity=2)
        organisation, manager, members = structure_with(3)
        with pytest.raises(DomainError) as error:
            services.waiting_list_join_group(
                page=session.page,
                requester=manager,
                organisation=organisation,
                people=members,
                all_or_nothing=True,
            )
        assert error.value.code == "group_too_large"
        assert not WaitingListEntry.objects.exists()


def test_forged_tokens_name_no_offer():
    session, (holder,) = full_session()
    entry = services.waiting_list_join(page=session.page, user=UserFactory())
    cancel(holder)
    token = seat_offer_token(pending(entry))
    assert seat_offer_pk_from_token(token) == pending(entry).pk
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), "12", "12.abc", ""):
        assert seat_offer_pk_from_token(forged) is None
