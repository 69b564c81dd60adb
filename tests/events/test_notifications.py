"""Every kind of agenda email renders in French, with a subject, an opening sentence, no gap
where a condition printed nothing, and the right calendar attachment."""

import re

import pytest

from events import services
from events.notifications import RegistrationNotice, registration_email
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db

METHODS = {
    RegistrationNotice.CONFIRMED: "REQUEST",
    RegistrationNotice.WAITLISTED: None,
    RegistrationNotice.PROMOTED: "REQUEST",
    RegistrationNotice.CANCELLED: "CANCEL",
    RegistrationNotice.CHANGED: "REQUEST",
    RegistrationNotice.SESSION_CANCELLED: "CANCEL",
    RegistrationNotice.REMINDER: "REQUEST",
    RegistrationNotice.REMINDER_WEEK: "REQUEST",
    RegistrationNotice.REMINDER_MORNING: "REQUEST",
}


def calendar_method(message) -> str | None:
    found = re.search(rb"text/calendar;[^\n]*method=\"?(\w+)", message.message().as_bytes())
    return found.group(1).decode() if found else None


def registration_for(notice):
    session = SessionFactory(
        capacity=1, title="Café & numérique", cancel_reason="Formatrice malade"
    )
    services.registration_create(session=session, user=UserFactory())
    person = UserFactory(first_name="Maëlle", last_name="Le Goff")
    registration = services.registration_create(session=session, user=person)
    if notice != RegistrationNotice.WAITLISTED:
        registration.status = registration.Status.CONFIRMED
        registration.save()
    return registration


@pytest.mark.parametrize("notice", list(RegistrationNotice))
def test_each_kind_renders_in_french_with_its_calendar_method(notice):
    registration = registration_for(notice)
    message = registration_email(registration=registration, notice=notice)
    text, html = message.body, message.alternatives[0].content
    assert message.subject.startswith(str(notice.label) + " — ")
    assert "Café & numérique" in message.subject
    lead = notice.lead(registration)
    assert lead and lead in text
    assert "Bonjour Maëlle Le Goff," in text and "Bonjour Maëlle Le Goff," in html
    assert "\n\n\n" not in text
    assert "&amp;" not in text and "&#x27;" not in text and "&#x27;" not in message.subject
    assert calendar_method(message) == METHODS[notice]
    message.message().as_bytes()


def test_waitlisted_lead_gives_the_position():
    registration = registration_for(RegistrationNotice.WAITLISTED)
    assert "en position 1." in RegistrationNotice.WAITLISTED.lead(registration)


def test_session_cancelled_says_why_and_stands_out():
    registration = registration_for(RegistrationNotice.SESSION_CANCELLED)
    message = registration_email(
        registration=registration, notice=RegistrationNotice.SESSION_CANCELLED
    )
    assert "Motif : Formatrice malade" in message.body
    assert "<strong>Nous sommes désolés" in message.alternatives[0].content


def test_an_unknown_kind_is_refused():
    registration = registration_for(RegistrationNotice.CONFIRMED)
    with pytest.raises(ValueError):
        services.registration_send_email(registration=registration, event="confirmée")


def test_participant_messages_can_be_answered_and_are_signed_by_name(
    django_capture_on_commit_callbacks, settings
):
    from django.core import mail

    from tests.factories.accounts import hub_staff

    settings.MAILLAGE_HUB_REPLY_TO = "equipe@hub-demo.fr"
    session = SessionFactory()
    services.registration_create(session=session, user=UserFactory())
    sender = hub_staff(email="gaelle.martin@hub-demo.fr", first_name="Gaëlle", last_name="Martin")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_message_queue(
            session=session, subject="Plan d'accès", message="Entrée par la cour.", sender=sender
        )
    [message] = mail.outbox
    raw = message.message().as_bytes().decode()
    assert "Reply-To: equipe@hub-demo.fr" in raw
    assert "Gaëlle Martin" in message.body
    assert "gaelle.martin@hub-demo.fr" not in message.body
