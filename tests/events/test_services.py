import datetime

from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from core.errors import DomainError
from events import services
from events.models import Registration, Session
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.events import SessionFactory, conference_page

pytestmark = pytest.mark.django_db


def ics_part(message):
    """The decoded .ics attached to an email, and its method= parameter."""
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            return part.get_content(), part.get_param("method")
    return None, None


def register(session, user=None):
    return services.registration_create(session=session, user=user or UserFactory())


class TestRegistrationCreate:
    def test_confirms_while_seats_remain_then_waitlists(self):
        session = SessionFactory(capacity=2)
        first, second, third = (register(session) for _ in range(3))
        assert [first.status, second.status] == ["confirmed", "confirmed"]
        assert third.status == "waitlisted"
        assert third.waitlist_position == 1

    def test_unlimited_capacity_always_confirms(self):
        session = SessionFactory(capacity=None)
        assert all(register(session).status == "confirmed" for _ in range(5))

    def test_registering_twice_returns_the_existing_registration(self, user):
        session = SessionFactory()
        first = register(session, user)
        again = register(session, user)
        assert again.pk == first.pk
        assert Registration.objects.filter(session=session, user=user).count() == 1

    def test_few_queries_under_the_session_lock(self, django_assert_max_num_queries):
        # Every registration of a rush waits for the session's row lock in turn: under it, the
        # seats and the person's registration in one query, then the insert (the savepoint of
        # the test's transaction included).
        session = SessionFactory(capacity=1)
        register(session)
        user = UserFactory()
        with django_assert_max_num_queries(7):
            assert register(session, user).status == "waitlisted"

    def test_full_without_waiting_list_is_refused(self):
        session = SessionFactory(capacity=1, waiting_list_enabled=False)
        register(session)
        with pytest.raises(DomainError) as error:
            register(session)
        assert error.value.code == "full"
        assert session.registrations.count() == 1

    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            ({"status": Session.Status.CANCELLED}, "cancelled"),
            ({"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)}, "closed"),
            ({"registration_opens_at": timezone.now() + datetime.timedelta(days=1)}, "not_open"),
            ({"external_registration_url": "https://partenaire.example/inscription"}, "external"),
        ],
    )
    def test_refusals_change_nothing(self, fields, code, user):
        session = SessionFactory(**fields)
        with pytest.raises(DomainError) as error:
            register(session, user)
        assert error.value.code == code
        assert not session.registrations.exists()

    def test_past_session_is_refused(self, user):
        start = timezone.now() - datetime.timedelta(hours=1)
        session = SessionFactory(start=start, end=start + datetime.timedelta(hours=3))
        with pytest.raises(DomainError) as error:
            register(session, user)
        assert error.value.code == "past"

    def test_database_allows_one_active_registration_per_person(self, user):
        session = SessionFactory()
        register(session, user)
        with pytest.raises(IntegrityError), transaction.atomic():
            Registration.objects.create(session=session, user=user, status="waitlisted")

    def test_a_cancelled_registration_does_not_block_registering_again(self, user):
        session = SessionFactory()
        first = register(session, user)
        services.registration_cancel(registration=first, by=user)
        again = register(session, user)
        assert again.pk != first.pk and again.status == "confirmed"

    def test_confirmation_email_leaves_after_commit_with_ics(
        self, user, django_capture_on_commit_callbacks
    ):
        session = SessionFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            register(session, user)
            assert mail.outbox == []
        for callback in callbacks:
            callback()
        [message] = mail.outbox
        assert message.to == [user.email]
        assert "Inscription confirmée" in message.subject
        assert message.alternatives[0].mimetype == "text/html"
        ics, method = ics_part(message)
        assert method == "REQUEST"
        assert "METHOD:REQUEST" in ics

    def test_no_email_when_the_transaction_rolls_back(self, user):
        session = SessionFactory()
        with pytest.raises(RuntimeError), transaction.atomic():
            register(session, user)
            raise RuntimeError
        assert mail.outbox == []
        assert not session.registrations.exists()


class TestWaitingList:
    def test_cancel_promotes_the_first_waitlisted_and_emails_them(
        self, django_capture_on_commit_callbacks
    ):
        session = SessionFactory(capacity=1)
        holder = register(session)
        first, second = register(session), register(session)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.registration_cancel(registration=holder, by=holder.user)
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == "confirmed"
        assert second.status == "waitlisted" and second.waitlist_position == 1
        promoted = [m for m in mail.outbox if m.to == [first.user.email]]
        assert "Une place s'est libérée" in promoted[0].subject
        cancelled = [m for m in mail.outbox if m.to == [holder.user.email]]
        assert ics_part(cancelled[0])[1] == "CANCEL"

    def test_waiting_list_is_served_in_order(self):
        session = SessionFactory(capacity=1)
        holder = register(session)
        waiting = [register(session) for _ in range(4)]
        assert [r.waitlist_position for r in waiting] == [1, 2, 3, 4]
        services.session_change_capacity(session=session, capacity=3)
        statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
        assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
        services.registration_cancel(registration=holder, by=holder.user)
        assert Registration.objects.get(pk=waiting[2].pk).status == "confirmed"
        assert Registration.objects.get(pk=waiting[3].pk).waitlist_position == 1

    def test_cancelling_a_waitlisted_registration_promotes_nobody(self):
        session = SessionFactory(capacity=1)
        register(session)
        first, second = register(session), register(session)
        services.registration_cancel(registration=first, by=first.user)
        assert Registration.objects.get(pk=second.pk).status == "waitlisted"

    def test_capacity_below_confirmed_is_refused(self):
        session = SessionFactory(capacity=3)
        for _ in range(3):
            register(session)
        with pytest.raises(DomainError) as error:
            services.session_change_capacity(session=session, capacity=2)
        assert error.value.code == "capacity_below_confirmed"
        session.refresh_from_db()
        assert session.capacity == 3
        assert session.registrations.filter(status="confirmed").count() == 3


class TestRegistrationCancel:
    def test_someone_else_cannot_cancel(self, user):
        registration = register(SessionFactory())
        with pytest.raises(DomainError) as error:
            services.registration_cancel(registration=registration, by=user)
        assert error.value.code == "forbidden"
        registration.refresh_from_db()
        assert registration.status == "confirmed"

    def test_hub_staff_can_cancel(self):
        registration = register(SessionFactory())
        services.registration_cancel(registration=registration, by=hub_staff())
        registration.refresh_from_db()
        assert registration.status == "cancelled"

    def test_cancelling_twice_is_refused(self):
        registration = register(SessionFactory())
        services.registration_cancel(registration=registration, by=registration.user)
        with pytest.raises(DomainError) as error:
            services.registration_cancel(registration=registration, by=registration.user)
        assert error.value.code == "already_cancelled"


class TestAttendance:
    def test_mark_attendance_on_the_day(self, time_machine):
        session = SessionFactory()
        registration = register(session)
        time_machine.move_to(session.start + datetime.timedelta(minutes=5))
        services.registration_mark_attendance(registration=registration, attended=True)
        assert Registration.objects.get(pk=registration.pk).status == "attended"
        services.registration_mark_attendance(registration=registration, attended=False)
        assert Registration.objects.get(pk=registration.pk).status == "absent"

    def test_attendance_cannot_be_marked_before_the_day(self):
        registration = register(SessionFactory())
        with pytest.raises(DomainError) as error:
            services.registration_mark_attendance(registration=registration, attended=True)
        assert error.value.code == "too_early"

    def test_waitlisted_people_cannot_be_marked(self, time_machine):
        session = SessionFactory(capacity=1)
        register(session)
        waitlisted = register(session)
        time_machine.move_to(session.start)
        with pytest.raises(DomainError) as error:
            services.registration_mark_attendance(registration=waitlisted, attended=True)
        assert error.value.code == "not_confirmed"


class TestSessionChange:
    def test_calendar_change_bumps_sequence_and_emails_an_update(
        self, django_capture_on_commit_callbacks
    ):
        session = SessionFactory()
        registration = register(session)
        mail.outbox.clear()
        new_start = session.start + datetime.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            updated = services.session_update(
                session=session, start=new_start, end=new_start + datetime.timedelta(hours=2)
            )
        assert updated.sequence == 1
        [message] = mail.outbox
        assert message.to == [registration.user.email]
        ics, method = ics_part(message)
        assert method == "REQUEST"
        assert "SEQUENCE:1" in ics and str(session.uid) in ics

    def test_non_calendar_change_keeps_sequence(self):
        session = SessionFactory()
        updated = services.session_update(session=session, waiting_list_enabled=False)
        assert updated.sequence == 0

    def test_unknown_field_is_refused(self):
        with pytest.raises(DomainError) as error:
            services.session_update(session=SessionFactory(), sequence=9)
        assert error.value.code == "unknown_field"

    def test_cancel_session_tells_everyone_with_method_cancel(
        self, django_capture_on_commit_callbacks
    ):
        session = SessionFactory(capacity=1)
        register(session)
        register(session)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            cancelled = services.session_cancel(session=session, reason="Intervenant malade")
        assert cancelled.status == "cancelled" and cancelled.sequence == 1
        assert len(mail.outbox) == 2
        for message in mail.outbox:
            ics, method = ics_part(message)
            assert method == "CANCEL"
            assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
            assert "Session annulée" in message.subject
        with pytest.raises(DomainError) as error:
            services.session_cancel(session=session, reason="encore")
        assert error.value.code == "already_cancelled"

    def test_session_create_derives_kind_and_departement(self):
        template = SessionFactory(venue__departement="29")
        session = services.session_create(
            page=template.page,
            start=template.start,
            end=template.end,
            venue=template.venue,
        )
        assert session.kind == Session.Kind.CONFERENCE
        assert session.departement == "29"


class TestSessionDelete:
    def test_a_session_with_registrations_cannot_be_deleted(self):
        session = SessionFactory()
        register(session)
        with pytest.raises(DomainError) as error:
            services.session_delete(session=session)
        assert error.value.code == "has_registrations"
        assert Session.objects.filter(pk=session.pk).exists()

    def test_an_empty_session_can_be_deleted(self):
        session = SessionFactory()
        services.session_delete(session=session)
        assert not Session.objects.filter(pk=session.pk).exists()


class TestReminder:
    def test_reminder_sent_once_to_confirmed_people_of_tomorrow(self, time_machine):
        from events.tasks import reminders_send_for_tomorrow

        session = SessionFactory(capacity=1)
        confirmed = register(session)
        register(session)
        mail.outbox.clear()
        time_machine.move_to(session.start - datetime.timedelta(days=1))
        assert reminders_send_for_tomorrow() == 1
        assert reminders_send_for_tomorrow() == 0
        [message] = mail.outbox
        assert message.to == [confirmed.user.email]
        assert "Rappel" in message.subject


class TestTimeMakesSense:
    """No session created in the past, none with registrants moved there, and a finished
    session keeps only attendance, certificates and follow-up."""

    def test_a_session_cannot_be_created_in_the_past(self):
        start = timezone.now() - datetime.timedelta(days=2000)
        with pytest.raises(DomainError) as refusal:
            services.session_create(
                page=conference_page(), start=start, end=start + datetime.timedelta(hours=2)
            )
        assert refusal.value.code == "start_past"
        assert "dans le passé" in refusal.value.message
        assert not Session.objects.exists()

    def test_a_session_with_registrants_cannot_move_into_the_past(self):
        session = SessionFactory()
        services.registration_create(session=session, user=UserFactory())
        yesterday = timezone.now() - datetime.timedelta(days=1)
        with pytest.raises(DomainError) as refusal:
            services.session_update(
                session=session, start=yesterday, end=yesterday + datetime.timedelta(hours=1)
            )
        assert refusal.value.code == "past_with_registrations"
        assert Session.objects.get(pk=session.pk).start == session.start

    def test_a_held_session_is_recorded_at_its_past_dates_without_emailing_anyone(self):
        session = SessionFactory()
        services.registration_create(session=session, user=UserFactory())
        mail.outbox.clear()
        held = timezone.now() - datetime.timedelta(days=10)
        services.session_record_held(
            session=session, start=held, end=held + datetime.timedelta(hours=2)
        )
        session.refresh_from_db()
        assert session.start == held and session.state_label == "Terminée"
        assert mail.outbox == []

    def test_only_a_session_already_over_goes_to_the_history(self):
        session = SessionFactory()
        started = timezone.now() - datetime.timedelta(hours=1)
        with pytest.raises(DomainError) as refusal:
            services.session_record_held(
                session=session, start=started, end=started + datetime.timedelta(hours=2)
            )
        assert refusal.value.code == "not_over"
        assert Session.objects.get(pk=session.pk).start == session.start

    def test_a_finished_session_cannot_be_cancelled_changed_or_resized(self):
        session = SessionFactory()
        start = timezone.now() - datetime.timedelta(days=1)
        Session.objects.filter(pk=session.pk).update(
            start=start, end=start + datetime.timedelta(hours=2)
        )
        session.refresh_from_db()
        assert session.state_label == "Terminée"
        for action in (
            lambda: services.session_cancel(session=session, reason="Trop tard"),
            lambda: services.session_update(session=session, title="Autre"),
            lambda: services.session_change_capacity(session=session, capacity=3),
        ):
            with pytest.raises(DomainError) as refusal:
                action()
            assert refusal.value.code == "finished"
        assert not Session.objects.get(pk=session.pk).is_cancelled
