"""Every kind of numérithèque message renders in French, with its own subject and sentence."""

from django.core import mail

import pytest

from numeritheque import services
from numeritheque.models import BookingNotice
from numeritheque.notifications import MESSAGES, booking_notice_email
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    user, structure = manager_of_structure(email="pret@mediatheque.fr")
    booking = services.booking_request(
        requester=user,
        structure=structure,
        items=[ItemFactory(name="Casque & manettes")],
        start=days(3),
        end=days(4),
        purpose="Atelier",
    )
    mail.outbox.clear()
    return booking


@pytest.mark.parametrize("kind", list(BookingNotice.Kind))
def test_each_kind_renders_in_french(booking, kind):
    message = booking_notice_email(
        booking=booking, kind=kind, to=["pret@mediatheque.fr"], context={}
    )
    assert message.subject.startswith("Numérithèque : ")
    assert "\n" not in message.subject
    assert str(MESSAGES[kind]) in message.body
    assert str(MESSAGES[kind]).replace("'", "&#x27;") in message.alternatives[0].content
    assert "Casque & manettes" in message.body
    assert "\n\n\n" not in message.body and "&#x27;" not in message.body
    message.message().as_bytes()


def test_subjects_differ_per_kind(booking):
    subjects = [
        booking_notice_email(booking=booking, kind=kind, to=["a@b.fr"], context={}).subject
        for kind in BookingNotice.Kind
    ]
    assert len(set(subjects)) == len(BookingNotice.Kind)


def test_an_unknown_reminder_kind_is_refused(booking):
    with pytest.raises(ValueError):
        services.booking_reminder_send(booking=booking, kind="rappel", today=days(0))
