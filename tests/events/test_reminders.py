"""Reminders people can set (issue 20 §4): each training chooses J-7, J-1 and the morning of;
each reminder goes once, with the place, the way there, the .ics and the cancel link; a person
can turn them all off in Mon espace."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from events import services
from events.models import Reminder
from events.tasks import reminders_send_for_tomorrow, reminders_send_this_morning
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory
from tests.factories.trainings import training_page, training_session

pytestmark = pytest.mark.django_db


def registered(reminders):
    training = training_page(reminders=reminders)
    session = training_session(training, days=10, venue=PlaceFactory(name="Médiathèque"))
    registration = services.registration_create(session=session, user=UserFactory())
    return registration


def at(day: datetime.datetime, hour: int) -> datetime.datetime:
    return timezone.localtime(day).replace(hour=hour, minute=0)


def run_the_three_jobs(session_start, outbox) -> list[str]:
    sent = []
    for moment, job in (
        (at(session_start - datetime.timedelta(days=7), 17), reminders_send_for_tomorrow),
        (at(session_start - datetime.timedelta(days=1), 17), reminders_send_for_tomorrow),
        (at(session_start, 7), reminders_send_this_morning),
    ):
        with time_machine.travel(moment):
            job()
            job()  # beat running twice sends nothing more
        sent.append(len(outbox))
    return sent


def test_each_ticked_reminder_goes_once_with_place_way_ics_and_cancel_link(mailoutbox):
    registration = registered(["j7", "j1", "matin"])
    mailoutbox.clear()
    assert run_the_three_jobs(registration.session.start, mailoutbox) == [1, 2, 3]
    subjects = [message.subject for message in mailoutbox]
    assert "dans une semaine" in subjects[0]
    assert "demain" in subjects[1]
    assert "aujourd'hui" in subjects[2]
    for message in mailoutbox:
        raw = message.message().as_bytes()
        assert b"method=REQUEST" in raw or b'method="REQUEST"' in raw
        assert "Médiathèque" in message.body
        assert "openstreetmap.org/directions?to=48.11198%2C-1.68186" in message.body
        assert f"/agenda/inscriptions/{registration.pk}/annuler/" in message.body
    assert Reminder.objects.filter(registration=registration).count() == 3


def test_only_the_reminders_the_training_chose_go(mailoutbox):
    registration = registered(["j1"])
    mailoutbox.clear()
    assert run_the_three_jobs(registration.session.start, mailoutbox) == [0, 1, 1]


def test_a_person_who_turned_reminders_off_gets_none(mailoutbox):
    registration = registered(["j7", "j1", "matin"])
    client = Client()
    client.force_login(registration.user)
    response = client.post("/agenda/rappels/", {"rappels": "non"})
    assert response.status_code == 302
    assert "Recevoir de nouveau les rappels" in client.get("/mon-espace/").content.decode()
    mailoutbox.clear()
    assert run_the_three_jobs(registration.session.start, mailoutbox) == [0, 0, 0]
    client.post("/agenda/rappels/", {"rappels": "oui"})
    assert "Ne plus recevoir de rappels" in client.get("/mon-espace/").content.decode()


def test_the_service_refuses_a_reminder_the_page_does_not_send():
    registration = registered(["j1"])
    assert services.registration_send_reminder(registration=registration, kind="j7") is False
    assert services.registration_send_reminder(registration=registration, kind="j1") is True
    assert services.registration_send_reminder(registration=registration, kind="j1") is False


def test_morning_reminders_are_in_the_beat_schedule():
    from portal.celery import app

    tasks = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "events.tasks.reminders_send_this_morning" in tasks
