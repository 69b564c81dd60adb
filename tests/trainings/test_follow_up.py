"""The day after a training session (issue 20 §3): one email to people present (materials,
replay, certificate link, questionnaire), « nous vous avons manqué » to people absent with the
next sessions; once per person and session under retries, never to deleted accounts."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.trainings import past_registration, training_page, training_session
from trainings import services
from trainings.models import FollowUp, FollowUpSettings, QuestionnaireInvitation
from trainings.tasks import follow_ups_send_due, questionnaire_send_due

pytestmark = pytest.mark.django_db


def tomorrow_morning():
    """Ten o'clock the day after a session that `past_registration(days_ago=0)` holds today."""
    return timezone.localtime().replace(hour=10, minute=0) + datetime.timedelta(days=1)


def session_today(**kwargs) -> Registration:
    """A registration on a training session held today from 09:00 to 12:00, marked."""
    registration = past_registration(UserFactory(first_name="Gwen"), days_ago=0, **kwargs)
    return Registration.objects.select_related("session").get(pk=registration.pk)


def test_present_person_gets_one_email_with_materials_certificate_and_questionnaire(mailoutbox):
    training = training_page(
        title="France Connect pas à pas", replay_url="https://video.exemple.fr/r"
    )
    registration = session_today(training=training)
    with time_machine.travel(tomorrow_morning()):
        assert follow_ups_send_due() == 1
        questionnaire_send_due()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    body = message.body
    assert "France Connect pas à pas" in message.subject
    assert "https://video.exemple.fr/r" in body
    assert f"/formation/attestations/{registration.pk}.pdf" in body
    assert "/v/" in body
    assert f"/formation/questionnaire/{registration.pk}/" in body
    assert QuestionnaireInvitation.objects.filter(registration=registration).exists()
    assert message.message().as_bytes().count(b"Auto-Submitted: auto-generated") == 1


def test_absent_person_is_told_the_next_sessions(mailoutbox):
    training = training_page(title="Accompagner les seniors")
    session_today(training=training, attended=False)
    upcoming = training_session(training, days=20)
    with time_machine.travel(tomorrow_morning()):
        follow_ups_send_due()
    assert len(mailoutbox) == 1
    assert "Nous vous avons manqué" in mailoutbox[0].subject
    assert f"/agenda/sessions/{upcoming.pk}/" in mailoutbox[0].body


def test_nothing_is_sent_on_the_day_itself(mailoutbox):
    session_today()
    assert follow_ups_send_due() == 0
    assert mailoutbox == []


def test_sent_once_per_person_and_session_under_retries(mailoutbox):
    registration = session_today()
    with time_machine.travel(tomorrow_morning()):
        assert services.follow_up_send(registration=registration) is True
        assert services.follow_up_send(registration=registration) is False
        assert follow_ups_send_due() == 0
    assert len(mailoutbox) == 1
    assert FollowUp.objects.filter(registration=registration).count() == 1


def test_a_deleted_account_gets_nothing(mailoutbox):
    registration = session_today()
    registration.user.delete()
    with time_machine.travel(tomorrow_morning()):
        assert follow_ups_send_due() == 0
    assert mailoutbox == []


def test_a_deactivated_account_gets_nothing(mailoutbox):
    registration = session_today()
    registration.user.is_active = False
    registration.user.save()
    with time_machine.travel(tomorrow_morning()):
        assert follow_ups_send_due() == 0
        assert services.follow_up_send(registration=registration) is False
    assert mailoutbox == []


def test_a_training_can_turn_it_off_and_the_site_settings_give_the_default(mailoutbox):
    session_today(training=training_page(follow_up="off"))
    forced = session_today(training=training_page(follow_up="on"), attended=False)
    defaults = FollowUpSettings.for_default_site()
    defaults.missed_you_enabled = False
    defaults.save()
    session_today(attended=False)
    with time_machine.travel(tomorrow_morning()):
        follow_ups_send_due()
    assert [message.to for message in mailoutbox] == [[forced.user.email]]


def test_without_follow_up_the_questionnaire_still_goes_alone(mailoutbox):
    registration = session_today(training=training_page(follow_up="off"))
    with time_machine.travel(tomorrow_morning()):
        follow_ups_send_due()
        questionnaire_send_due()
    assert len(mailoutbox) == 1
    assert f"/formation/questionnaire/{registration.pk}/" in mailoutbox[0].body


def test_a_questionnaire_answered_twice_is_refused_in_french():
    registration = past_registration(UserFactory(), days_ago=1)
    client = Client()
    client.force_login(registration.user)
    url = f"/formation/questionnaire/{registration.pk}/"
    answer = {"rating": "5", "would_recommend": "oui", "useful": "Tout"}
    assert client.post(url, answer).status_code == 302
    again = client.post(url, answer)
    assert again.status_code == 409
    assert "Vous avez déjà répondu à ce questionnaire" in again.content.decode()
    assert registration.satisfaction_answer.rating == 5


def test_follow_ups_are_in_the_beat_schedule():
    from portal.celery import app

    tasks = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "trainings.tasks.follow_ups_send_due" in tasks
